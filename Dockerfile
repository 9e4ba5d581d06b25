# The board server. Installed editable in /app so the package finds static/, templates/ and
# sessions/ beside it, as in a checkout. Every package comes from uv.lock, hashes checked:
# the image holds exactly the versions `make test` ran against.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=/app/.venv UV_NO_CACHE=1 \
    PATH=/app/.venv/bin:$PATH
WORKDIR /app
COPY deploy/uv.txt deploy/uv.txt
RUN pip install --require-hashes --no-deps -r deploy/uv.txt
COPY pyproject.toml uv.lock README.md ./
COPY board ./board
COPY static ./static
COPY templates ./templates
COPY sessions ./sessions
RUN uv sync --locked --python /usr/local/bin/python3 \
    && useradd --system --home /app board && mkdir -p /app/var && chown board /app/var
USER board
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status == 200 else 1)"
CMD ["board", "serve", "--host", "0.0.0.0", "--port", "8000", "--proxy"]
