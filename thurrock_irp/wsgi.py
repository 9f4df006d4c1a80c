"""WSGI entry point (gunicorn thurrock_irp.wsgi)."""

import gc
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

# What is loaded by now (Django, the apps, their modules: about 70,000 objects) lives as long as
# the worker, yet each of Python's occasional full collections walked all of it again, 35-50 ms
# within whichever request set it off. Frozen (`gc.freeze`, made for long-lived servers), it is
# left out of those walks; a full collection then takes a few milliseconds. Garbage from start-up
# is collected first, so none is kept for good.
gc.collect()
gc.freeze()
