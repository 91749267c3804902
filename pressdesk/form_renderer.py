"""How forms draw their fields: Django's own widget templates through Jinja2.

Every `{{ field }}` renders its widget's template, and a select renders one per option: through
the Django template language that was half the public form's time and more of the queue's
filters. Django ships the same widget templates for Jinja2, which renders them several times
faster, with the same HTML. Admin's widgets exist only as Django templates: those (and any
other template Jinja2 does not have) still render through the Django template language.
"""

from typing import Any

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class FormRenderer(BaseRenderer):
    def __init__(self) -> None:
        self.jinja2 = Jinja2()
        self.django = DjangoTemplates()

    def get_template(self, template_name: str) -> Any:
        try:
            return self.jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return self.django.get_template(template_name)
