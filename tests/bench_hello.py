"""Hello world in Flask: the load bench's yardstick for what this machine can serve.

Served by gunicorn with the app's settings (``tests.bench_hello:app``), and loaded in turn
with each page, so that both see the same machine at the same moment.
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    """The smallest page Flask can serve."""
    return "Hello, World!"
