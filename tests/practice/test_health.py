def test_health_check_reports_database_and_cache(client, db):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_health_check_answers_by_ip_over_plain_http_in_production(client, db, settings):
    """Docker and load balancers ask http://127.0.0.1/healthz/, not the site's host name."""
    settings.ALLOWED_HOSTS = ["practice.example"]
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/healthz/", HTTP_HOST="127.0.0.1:8000")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert client.get("/", HTTP_HOST="127.0.0.1:8000").status_code == 400
