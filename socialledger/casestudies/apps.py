from django.apps import AppConfig


class CaseStudiesConfig(AppConfig):
    name = "socialledger.casestudies"
    label = "casestudies"
    verbose_name = "case studies"
