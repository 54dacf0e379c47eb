from django.urls import path

from tidtam.reporting import views

app_name = "reporting"
urlpatterns = [
    path("tasks/", views.tasks, name="tasks"),
    path("submissions/start/", views.start, name="start"),
    path("submissions/<int:pk>/", views.overview, name="overview"),
    path("submissions/<int:pk>/action/", views.action, name="action"),
    path("submissions/<int:pk>/submit/", views.submit_check, name="submit_check"),
    path("submissions/<int:pk>/answer/", views.answer, name="answer"),
    path("submissions/<int:pk>/audit/", views.audit_log, name="audit"),
    path("submissions/<int:pk>/rate/", views.rate, name="rate"),
    path("submissions/<int:pk>/i/<str:node>/", views.indicator, name="indicator"),
    path("submissions/<int:pk>/i/<str:node>/narrative/<str:kind>/", views.narrative,
         name="narrative"),
    path("submissions/<int:pk>/i/<str:node>/narrative/<str:kind>/<int:block>/", views.narrative,
         name="narrative_block"),
    path("submissions/<int:pk>/i/<str:node>/value/<int:element>/", views.value, name="value"),
    path("submissions/<int:pk>/i/<str:node>/problems/", views.problem, name="problem_add"),
    path("submissions/<int:pk>/i/<str:node>/problems/<int:row>/", views.problem, name="problem"),
    path("submissions/<int:pk>/i/<str:node>/practices/", views.practice, name="practice_add"),
    path("submissions/<int:pk>/i/<str:node>/practices/<int:bp>/", views.practice,
         name="practice"),
    path("submissions/<int:pk>/i/<str:node>/files/", views.upload, name="upload"),
    path("files/<int:pk>/", views.download, name="download"),
    path("files/<int:pk>/delete/", views.delete_file, name="delete_file"),
]
