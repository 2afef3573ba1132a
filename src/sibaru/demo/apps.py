from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "sibaru.demo"
    verbose_name = "Demo"
