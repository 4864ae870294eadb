"""The `werkstadt` command: serve, scheduler, db upgrade, demo, create-admin."""

import argparse
import logging
import getpass
import sys

import uvicorn

from governance.errors import DomainError
from workspace import demo, migrate
from workspace.auth import create_account, check_new_password
from workspace.db import Database
from workspace.i18n import error_text
from workspace.scheduler import Scheduler
from workspace.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    return args.run(args, Settings.from_env())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="werkstadt", description="Werkstadt – Arbeitsplatz der Präventionskette")
    commands = parser.add_subparsers(title="Befehle")

    serve = commands.add_parser("serve", help="Webserver starten")
    serve.add_argument("--host", help="Adresse (Standard: HOST oder 127.0.0.1)")
    serve.add_argument("--port", type=int, help="Port (Standard: PORT oder 8000)")
    serve.set_defaults(run=serve_command)

    scheduler = commands.add_parser("scheduler", help="Erinnerungen versenden (läuft dauerhaft)")
    scheduler.add_argument("--once", action="store_true", help="nur die jetzt fälligen versenden, dann beenden")
    scheduler.set_defaults(run=scheduler_command)

    db = commands.add_parser("db", help="Datenbank verwalten").add_subparsers(title="Datenbank")
    upgrade = db.add_parser("upgrade", help="alle Migrationen anwenden")
    upgrade.set_defaults(run=upgrade_command)

    seed = commands.add_parser("demo", help="Demo-Daten (Präventionskette Jena-Nord) laden")
    seed.add_argument("--force", action="store_true", help="vorhandene Daten vorher löschen")
    seed.add_argument("--if-empty", action="store_true", help="nur laden, wenn die Datenbank leer ist")
    seed.set_defaults(run=demo_command)

    admin = commands.add_parser("create-admin", help="Konto für die Koordination anlegen")
    admin.add_argument("--email")
    admin.add_argument("--password", help="ohne Angabe: Abfrage im Terminal oder Standardeingabe")
    admin.add_argument("--name", default="Koordination")
    admin.set_defaults(run=create_admin_command)
    return parser


def serve_command(args, settings: Settings) -> int:
    host, port = args.host or settings.host, args.port or settings.port
    print(f"Werkstadt läuft auf http://{host}:{port}  (Beenden mit Strg+C)", flush=True)
    trusted = settings.forwarded_allow_ips  # only then is X-Forwarded-For the client's address
    uvicorn.run("workspace.app:create_app", factory=True, host=host, port=port, log_level="info",
                proxy_headers=trusted is not None, forwarded_allow_ips=trusted)
    return 0


def scheduler_command(args, settings: Settings) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    sender = Scheduler(settings)
    if args.once:
        print(f"{sender.tick()} Erinnerungen bearbeitet.")
    else:
        sender.run()
    return 0


def upgrade_command(args, settings: Settings) -> int:
    migrate.upgrade(settings.database_url)
    print("Datenbank ist auf dem neuesten Stand.")
    return 0


def demo_command(args, settings: Settings) -> int:
    database = Database(settings.database_url)
    with database.transaction() as db:
        if not demo.is_empty(db):
            if args.if_empty:
                print("Die Datenbank enthält schon Daten; Demo-Daten werden nicht neu geladen.")
                _print_logins(demo.demo_logins())
                return 0
            if not args.force:
                print("Die Datenbank ist nicht leer. Mit --force werden alle Daten gelöscht und "
                      "die Demo-Daten neu geladen.", file=sys.stderr)
                return 1
            demo.wipe(db)
        logins = demo.load_demo(db, settings.password_hasher)
    database.dispose()
    print("Demo-Daten der Präventionskette Jena-Nord geladen.")
    _print_logins(logins)
    return 0


def _print_logins(logins: list[demo.DemoLogin]) -> None:
    print(f"Demo-Anmeldungen (Passwort für alle: {demo.DEMO_PASSWORD}):")
    for login in logins:
        print(f"  {login.email:28} {login.role:12} {login.person}")


def create_admin_command(args, settings: Settings) -> int:
    email = args.email or input("E-Mail-Adresse: ")
    password = args.password if args.password is not None else _read_password()
    database = Database(settings.database_url)
    try:
        with database.transaction() as db:
            check_new_password(password, password)
            create_account(db, args.name, email, password_hash=settings.password_hasher.hash(password),
                           is_coordinator=True, language=settings.language)
    except DomainError as error:
        print(f"Fehler: {error_text(settings.language, error)}", file=sys.stderr)
        return 1
    finally:
        database.dispose()
    print(f"Konto für die Koordination angelegt: {email.strip().lower()}")
    return 0


def _read_password() -> str:
    """Ask twice in a terminal; read one line from standard input when it is not a terminal."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    password = getpass.getpass("Passwort: ")
    if getpass.getpass("Passwort wiederholen: ") != password:
        print("Die beiden Passwörter stimmen nicht überein.", file=sys.stderr)
        raise SystemExit(1)
    return password


if __name__ == "__main__":
    raise SystemExit(main())
