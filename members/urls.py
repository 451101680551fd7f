"""A member's own pages live under /my/ (no ids: each is the logged-in member's own);
the public "Join the group" page and the goodbye after erasure sit outside it."""

from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("join/", views.join, name="join"),
    path("data-erased/", views.data_erased, name="data_erased"),
    path("my/", views.dashboard, name="dashboard"),
    path("my/join/consent/<slug:purpose>/", views.onboarding_consent, name="onboarding_consent"),
    path("my/join/done/", views.onboarding_done, name="onboarding_done"),
    path("my/join/<slug:step>/", views.onboarding_step, name="onboarding_step"),
    path("my/profile/", views.profile, name="profile"),
    path("my/profile/change/<slug:section>/", views.profile_change, name="profile_change"),
    path("my/consents/", views.consents, name="consents"),
    path("my/consents/review/", views.consent_review, name="consent_review"),
    path("my/consents/keeping-your-details/", views.keep_details_declined, name="keep_details_declined"),
    path("my/consents/<slug:purpose>/", views.consent_change, name="consent_change"),
    path("my/break/", views.take_a_break, name="break"),
    path("my/leave/", views.leave, name="leave"),
    path("my/leave/erase/", views.erase, name="erase"),
    path("my/data/", views.my_data, name="data"),
    path("my/data.json", views.my_data_json, name="data_json"),
]
