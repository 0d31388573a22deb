"""Operations: ``/healthz`` (the process answers) and ``/readyz`` (it can serve: the database
answers and its schema is at the migrations' head), for load balancers and orchestrators.

Neither needs signing in, sets a cookie or renders a template.
"""

from flask import Blueprint

bp = Blueprint("ops", __name__)
