"""Serve the test provider: `python -m tests.oidc_provider.serve PORT REDIRECT_URI`.

Migrates its own database, makes the users and the client (from PROVIDER_* variables), then
answers on 127.0.0.1:PORT until terminated. Prints "ready" when it listens."""

import os
import sys
from wsgiref.simple_server import WSGIRequestHandler, make_server


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    port, redirect_uri = int(sys.argv[1]), sys.argv[2]
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    officers = Group.objects.create(name="presse-vakt")
    pia = User.objects.create_user("pia", "pia.presse@helsedir.no", os.environ["PROVIDER_PASSWORD"])
    pia.first_name, pia.last_name = "Pia", "Presse"
    pia.save()
    pia.groups.add(officers)
    User.objects.create_user("ola", "ola.ansatt@helsedir.no", os.environ["PROVIDER_PASSWORD"])
    Application.objects.create(
        name="Pressdesk",
        client_id=os.environ["PROVIDER_CLIENT_ID"],
        client_secret=os.environ["PROVIDER_CLIENT_SECRET"],  # hashed on save
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    server = make_server("127.0.0.1", port, get_wsgi_application(), handler_class=QuietHandler)
    print("ready", flush=True)  # noqa: T201
    server.serve_forever()


if __name__ == "__main__":
    main()
