"""WSGI entry point (gunicorn thurrock_irp.wsgi)."""

import os
import sys

from django.core.wsgi import get_wsgi_application

from thurrock_irp.environment import ConfigurationError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thurrock_irp.settings")
try:
    application = get_wsgi_application()
except ConfigurationError as error:
    sys.stderr.write(f"Configuration error: {error}\n")
    sys.exit(2)
