import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practice.settings")
application = get_wsgi_application()

from practice.core.warm_start import urlconf_preload  # noqa: E402 - needs settings

urlconf_preload()
