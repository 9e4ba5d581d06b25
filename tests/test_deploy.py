"""docker-compose.yml and the proxy config, checked as data (no Docker engine runs here): two
server processes on one PostgreSQL and one Redis behind a proxy that passes websockets."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, Any] = COMPOSE["services"]
APPS = {name: service for name, service in SERVICES.items() if name.startswith("app")}
NGINX = (ROOT / "deploy" / "nginx.conf").read_text()


def test_two_or_more_board_processes_share_postgres_and_redis() -> None:
    assert len(APPS) >= 2
    for name, app in APPS.items():
        environment = app["environment"]
        assert environment["DATABASE_URL"].startswith("postgresql+asyncpg://"), name
        assert "@postgres:5432/" in environment["DATABASE_URL"], name
        assert environment["BROKER_URL"] == "redis://redis:6379/0", name
        assert environment["BOARD_SECRET_KEY"].startswith("${BOARD_SECRET_KEY:?"), (
            "required, and shared by every process"
        )
    assert len({app["environment"]["BOARD_SECRET_KEY"] for app in APPS.values()}) == 1


def test_every_long_running_service_has_a_health_check() -> None:
    for name, service in SERVICES.items():
        if name == "migrate":
            continue
        assert "healthcheck" in service, name
        assert service["healthcheck"]["test"], name


def test_apps_start_after_the_schema_is_migrated_and_redis_is_up() -> None:
    assert SERVICES["migrate"]["command"] == ["board", "migrate"]
    for app in APPS.values():
        assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert app["depends_on"]["redis"]["condition"] == "service_healthy"
        assert "/healthz" in " ".join(app["healthcheck"]["test"])


def test_postgres_keeps_its_data_in_a_volume() -> None:
    assert "pgdata:/var/lib/postgresql/data" in SERVICES["postgres"]["volumes"]
    assert "pgdata" in COMPOSE["volumes"]


def test_the_proxy_balances_every_app_and_passes_websockets() -> None:
    upstream = re.search(r"upstream board \{(.*?)\}", NGINX, re.DOTALL)
    assert upstream is not None
    assert sorted(re.findall(r"server (\w+):8000", upstream.group(1))) == sorted(APPS)
    assert "proxy_set_header Upgrade $http_upgrade;" in NGINX
    assert "proxy_set_header Connection $connection_upgrade;" in NGINX
    assert "proxy_set_header Host $http_host;" in NGINX, "the Origin check needs the port in Host"
    assert SERVICES["proxy"]["volumes"] == ["./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro"]


def test_the_proxy_names_the_client_itself_and_the_apps_trust_only_the_proxy() -> None:
    """A client's own X-Forwarded-For must never reach the app (it would pick its own address
    and escape the wrong-code rate limit): nginx replaces it with the address it saw, and the
    apps believe the header only from the compose network the proxy is on."""
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in NGINX
    assert "$proxy_add_x_forwarded_for" not in NGINX
    subnets = [pool["subnet"] for pool in COMPOSE["networks"]["default"]["ipam"]["config"]]
    for name, app in APPS.items():
        trusted = app["environment"]["BOARD_TRUSTED_PROXIES"].split(",")
        assert "*" not in trusted, name
        assert set(trusted) <= {"127.0.0.1", "::1", *subnets}, name
        assert set(subnets) <= set(trusted), f"{name} trusts the proxy's network"


def test_board_port_is_the_proxys_host_port_only() -> None:
    """README "Running at scale": compose's BOARD_PORT publishes nginx on the host; the apps
    keep listening on 8000 (the proxy's upstream), so it must not reach them."""
    assert SERVICES["proxy"]["ports"] == ["${BOARD_PORT:-8080}:80"]
    for name, app in APPS.items():
        assert "BOARD_PORT" not in app["environment"], name
        assert "ports" not in app, f"{name} is reached through the proxy only"


def test_the_app_image_serves_behind_the_proxy() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["board", "serve", "--host", "0.0.0.0", "--port", "8000", "--proxy"]' in dockerfile
    assert "USER board" in dockerfile, "not as root"


def test_the_app_image_installs_the_locked_versions() -> None:
    """The image holds what `make test` ran against: uv from deploy/uv.txt with its hashes,
    then `uv sync --locked`, which refuses a uv.lock that disagrees with pyproject.toml."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --require-hashes --no-deps -r deploy/uv.txt" in dockerfile
    assert "COPY pyproject.toml uv.lock" in dockerfile
    assert "uv sync --locked" in dockerfile
    assert "pip install -e" not in dockerfile, "an unlocked install"
