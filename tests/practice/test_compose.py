"""`docker compose up` hands the app containers the variables the README documents.

The image leaves `.env` out (.dockerignore), so the stack must pass it on itself: before, only
an explicit list reached the containers, and e.g. TRUSTED_PROXY_COUNT in .env was silently
ignored behind a load balancer. Checked by reading, as no Docker engine runs here.
"""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("migrate", "web", "worker", "beat")


def test_the_app_containers_read_the_env_file_and_compose_still_decides_its_own_services():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())

    for name in APP_SERVICES:
        service = compose["services"][name]
        env_files = [entry["path"] for entry in service["env_file"]]
        assert ".env" in env_files, f"{name} does not read .env"
        environment = service["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://practice:")
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
        assert environment["DEBUG"] == "off"
