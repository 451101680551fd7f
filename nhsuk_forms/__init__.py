"""The NHS.UK form pack: a django-crispy-forms template pack (``nhsuk``) with nhsuk-frontend's markup.

Every form in the portal is drawn through it, one way (see ``nhsuk_forms/templatetags/nhsuk_forms.py``).
It imports no app of ours, so any app can use it.
"""
