"""The second-factor device admins: officers see that a device exists and delete it (to reset a
lost authenticator), but nobody reads a secret back once it is enrolled.

django-otp hides the key, the QR code and the backup codes of saved devices when
OTP_ADMIN_HIDE_SENSITIVE_DATA is set (settings); here a missing or impossible device id is a
404 on every page of a device, where django-otp's own QR code views fail with a 500.
"""

from django.contrib import admin
from django.http import Http404
from django.urls import path
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.forms import valid_pk

admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


class DeviceAdminMixin:
    def get_object(self, request, object_id, from_field=None):
        """The device, or a 404 (the admin's default is a redirect to its index)."""
        if from_field is None and valid_pk(object_id) is None:
            raise Http404
        device = super().get_object(request, object_id, from_field)
        if device is None:
            raise Http404
        return device


@admin.register(TOTPDevice)
class SecretHidingTOTPDeviceAdmin(DeviceAdminMixin, TOTPDeviceAdmin):
    def get_urls(self):
        views = {
            "otp_totp_totpdevice_config": self.config_view,
            "otp_totp_totpdevice_qrcode": self.qrcode_view,
        }
        # Any text as the id, so a hand-made URL gets our 404, not the admin's catch-all.
        ours = [
            path(f"<str:pk>/{name.rsplit('_', 1)[1]}/", self.admin_site.admin_view(view), name=name)
            for name, view in views.items()
        ]
        return ours + [p for p in super().get_urls() if getattr(p, "name", None) not in views]

    def config_view(self, request, pk):
        device = self.get_object(request, pk)
        return super().config_view(request, device.pk)

    def qrcode_view(self, request, pk):
        device = self.get_object(request, pk)
        return super().qrcode_view(request, device.pk)


@admin.register(StaticDevice)
class SecretHidingStaticDeviceAdmin(DeviceAdminMixin, StaticDeviceAdmin):
    pass
