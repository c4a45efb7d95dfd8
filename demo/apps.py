from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data (seed_demo) and county-scale data for benchmarks (generate_scale_data,
    generate_scale_volunteering). Above every product app; none of them imports it."""

    name = "demo"
    verbose_name = "Demo and scale data"
