from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "socialledger.demo"
    label = "demo"
