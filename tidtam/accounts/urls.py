from django.urls import path

from tidtam.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.me, name="me"),
    path("2fa/", views.second_factor, name="second_factor"),
    path("2fa/verify/", views.verify, name="verify"),
    path("users/", views.users, name="users"),
    path("users/new/", views.user_new, name="user_new"),
    path("users/<int:pk>/", views.user_detail, name="user"),
    path("users/<int:pk>/roles/", views.user_role_add, name="user_role_add"),
    path("users/<int:pk>/roles/<int:rid>/remove/", views.user_role_remove,
         name="user_role_remove"),
    path("users/<int:pk>/active/", views.user_active, name="user_active"),
    path("users/<int:pk>/invite/", views.user_invite, name="user_invite"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="user_unlock"),
    path("users/<int:pk>/2fa-reset/", views.user_second_factor_reset, name="user_2fa_reset"),
]
