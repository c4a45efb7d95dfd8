from django.urls import path

from accounts import views as accounts

app_name = "accounts"
urlpatterns = [
    path("", accounts.AccountListView.as_view(), name="list"),
    path("invite/", accounts.InviteView.as_view(), name="invite"),
    path("<int:pk>/deactivate/", accounts.SetActiveView.as_view(active=False), name="deactivate"),
    path("<int:pk>/reactivate/", accounts.SetActiveView.as_view(active=True), name="reactivate"),
    path("locks/", accounts.LockListView.as_view(), name="locks"),
    path("locks/lift/", accounts.LiftLockView.as_view(), name="lift_lock"),
]
