"""A member's own expense claims, under /expenses/ (see expenses/views.py for who may use each)."""

from django.urls import path

from . import views

app_name = "expenses"

urlpatterns = [
    path("", views.claim_list, name="claims"),
    path("preference/", views.payment_preference, name="preference"),
    path("claim/<int:meeting_pk>/", views.start_claim, name="start"),
    path("claims/<int:pk>/", views.claim_detail, name="claim"),
    path("claims/<int:pk>/submit/", views.submit_claim, name="submit"),
    path("claims/<int:pk>/delete/", views.delete_claim, name="delete_claim"),
    path("claims/<int:pk>/add/<slug:category>/", views.add_item, name="add_item"),
    path("claims/<int:pk>/items/<int:item_pk>/", views.change_item, name="change_item"),
    path("claims/<int:pk>/items/<int:item_pk>/remove/", views.remove_item, name="remove_item"),
]
