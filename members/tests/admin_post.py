"""Posting an admin change page back in tests, as a browser would."""

import datetime

from django.utils import timezone


def admin_form_post(page, **changes) -> dict:
    """An admin change page's form and inline formsets as a browser would send them back,
    with some fields changed."""
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = list(value)
        elif isinstance(value, datetime.datetime):
            local = timezone.localtime(value)
            data[f"{name}_0"], data[f"{name}_1"] = local.date().isoformat(), local.strftime("%H:%M:%S")
        elif value is not None:
            data[name] = value
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management.initial.get(name, management[name].value())
        for index, inline_form in enumerate(formset.formset.forms):
            for name in inline_form.fields:
                value = inline_form.initial.get(name, inline_form[name].value())
                if hasattr(value, "pk"):
                    value = value.pk
                if isinstance(value, datetime.date):
                    value = value.isoformat()
                if value is not None:
                    data[f"{formset.formset.prefix}-{index}-{name}"] = value
    data.update(changes)
    return data
