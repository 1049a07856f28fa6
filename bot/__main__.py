"""``python -m bot [run|check|sync|health]``: build the dependencies, then serve, check, sync or ask.

Dependencies are built here, outside the bot, inside ``async with`` blocks so that they close
in order however the bot stops: the HTTP session, the database, the API client, the metrics
server. SIGTERM and SIGINT stop the bot gracefully (``ImageBot.graceful_stop``), so it exits 0
well within Docker's 10 seconds with its database closed cleanly.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import AsyncIterator, Coroutine, Sequence
from typing import Any, TypeVar

import aiohttp
import discord

try:
    import uvloop
except ImportError:  # Windows, where it is not a dependency: asyncio's own loop (see run_loop)
    uvloop = None

from bot.app import ImageBot, bot_class, point_discord_at
from bot.config import ConfigError, Settings
from bot.gptproto.client import GPTProtoClient
from bot.gptproto.errors import APIError, AuthenticationError, InsufficientBalance, PermissionDenied
from bot.gptproto.registry import MODELS
from bot.health import HealthServer, ask
from bot.logs import redact, setup_logging
from bot.malloc import keep_large_blocks_mapped
from bot.metrics import Metrics
from bot.money import format_usd
from bot.storage.database import Database, PostgresDatabase
from bot.storage.transfer import TransferRefused, copy_into_empty
from bot.storage.urls import BadDatabaseURL, parse, parse_postgres_url, redact_url, secrets_of

log = logging.getLogger("bot")

T = TypeVar("T")


def run_loop(main: Coroutine[Any, Any, T]) -> T:
    """Run ``main`` to its end on uvloop's event loop where uvloop is installed, else asyncio's.

    uvloop (a dependency everywhere but on Windows, which it does not support) is asyncio's loop
    rewritten in C: the same API, for less CPU per request and callback. The bot spends most of
    its time sending requests (Discord, the image API) and resuming tasks: measured in the
    benchmark's throughput scenario, 9 % less CPU per job and 9-14 % more jobs per second
    (BENCHMARKS.md, issue 15).
    """
    if uvloop is None:
        return asyncio.run(main)
    return uvloop.run(main)


def load_settings(out=sys.stderr) -> Settings | None:
    """The settings, or ``None`` after printing one line per problem."""
    try:
        return Settings.from_env()
    except ConfigError as error:
        print("The configuration has problems (see .env.example):", file=out)
        for problem in error.problems:
            print(f"  - {problem}", file=out)
        return None


def new_session() -> aiohttp.ClientSession:
    """The one HTTP session of the API client: bounded connections, a default timeout."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=32, ttl_dns_cache=300),
        timeout=aiohttp.ClientTimeout(total=360, sock_connect=10),
        headers={"User-Agent": "gptproto-image-bot/0.1 (+discord.py)"},
    )


async def start_metrics_server(bot: ImageBot, metrics: Metrics, settings: Settings) -> HealthServer | None:
    """Serve /metrics and /healthz when METRICS_PORT is set; ``OSError`` when the port is taken."""
    if not settings.metrics_port:
        return None
    server = HealthServer(bot, metrics, host=settings.metrics_host, port=settings.metrics_port)
    await server.start()
    return server


@contextlib.asynccontextmanager
async def closing(server: HealthServer | None) -> AsyncIterator[None]:
    """Close the metrics server on the way out (it answers 503 "stopping" until then)."""
    try:
        yield
    finally:
        if server is not None:
            await server.close()


def stop_on_signals(bot: ImageBot) -> None:
    """SIGTERM (docker stop, systemd) and SIGINT (Ctrl-C) stop the bot gracefully; a second one is ignored."""
    loop = asyncio.get_running_loop()
    stopping: list[asyncio.Task[None]] = []

    def on_signal(signum: int) -> None:
        if stopping:
            log.info("Still stopping (%s received again)", signal.Signals(signum).name)
            return
        log.info("%s received: stopping", signal.Signals(signum).name)
        stopping.append(loop.create_task(bot.graceful_stop(), name="graceful-stop"))

    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, on_signal, signum)


async def run(settings: Settings) -> int:
    """Connect to Discord and serve until stopped."""
    keep_large_blocks_mapped()
    point_discord_at(settings.discord_api_base_url, settings.discord_gateway_url)
    async with (
        new_session() as session,
        await Database.open(settings.database_url, limits=settings.quota_limits()) as db,
    ):
        api = GPTProtoClient(session, api_key=settings.api_key, base_url=settings.api_base_url)
        metrics = Metrics()
        try:
            chosen = await bot_class(settings)
        except discord.LoginFailure:
            log.error("Discord refused DISCORD_TOKEN; copy the bot token again from the developer portal")
            return 1
        bot = chosen(settings=settings, db=db, api=api, metrics=metrics)
        try:
            server = await start_metrics_server(bot, metrics, settings)
        except OSError as error:
            log.error("Cannot serve metrics on %s port %s (METRICS_HOST, METRICS_PORT): %s",
                      settings.metrics_host, settings.metrics_port, error.strerror or error)
            return 1
        stop_on_signals(bot)
        async with bot, closing(server):
            try:
                await bot.start(settings.discord_token)
            except discord.LoginFailure:
                log.error("Discord refused DISCORD_TOKEN; copy the bot token again from the developer portal")
                return 1
            except discord.PrivilegedIntentsRequired:
                log.error("Discord refused the gateway intents; this bot needs no privileged intents")
                return 1
    log.info("Stopped; the database is closed")
    return 0


async def sync(settings: Settings) -> int:
    """Push the slash commands and exit."""
    point_discord_at(settings.discord_api_base_url, settings.discord_gateway_url)
    async with (
        new_session() as session,
        await Database.open(settings.database_url, limits=settings.quota_limits()) as db,
    ):
        api = GPTProtoClient(session, api_key=settings.api_key, base_url=settings.api_base_url)
        bot = ImageBot(settings=settings, db=db, api=api, serve=False)
        async with bot:
            try:
                await bot.login(settings.discord_token)
            except discord.LoginFailure:
                print("Discord refused DISCORD_TOKEN: copy the bot token again from the developer portal.")
                return 1
            count = await bot.sync_commands()
            where = f"server {settings.dev_guild_id}" if settings.dev_guild_id else "all servers"
            print(f"Pushed {count} commands to {where}.")
    return 0


async def check(settings: Settings, out=sys.stdout) -> int:
    """Validate the configuration, open the database, reach the API and Discord; report."""
    problems = 0

    def say(mark: str, text: str) -> None:
        print(f"[{mark}] {text}", file=out)

    say("ok", "configuration: every variable is valid")
    if settings.metrics_port:
        say("ok", f"metrics: /metrics and /healthz on http://{settings.metrics_host}:{settings.metrics_port} "
                  "(METRICS_HOST, METRICS_PORT)")
    for mark, line in price_report(settings):
        say(mark, line)
    try:
        async with await Database.open(settings.database_url, limits=settings.quota_limits()) as db:
            kind = "SQLite" if db.backend == "sqlite" else "PostgreSQL server"
            say("ok", f"database: {db.describe()} ({kind} {await db.server_version()}, "
                      f"schema version {db.schema_version})")
    except Exception as error:
        problems += 1
        say("FAIL", f"database: cannot open {redact_url(settings.database_url)}: "
                    f"{redact(str(error) or type(error).__name__, settings.secrets)}")

    async with new_session() as session:
        api = GPTProtoClient(session, api_key=settings.api_key, base_url=settings.api_base_url)
        try:
            found = await api.check()
            say("ok", f"GPTProto API at {settings.api_base_url}: {found.detail}, {found.latency_ms:.0f} ms")
        except AuthenticationError:
            problems += 1
            say("FAIL", f"GPTProto API at {settings.api_base_url}: GPTPROTO_API_KEY is wrong "
                        "(the API answered 401); copy the key again from the GPTProto dashboard")
        except (InsufficientBalance, PermissionDenied) as error:
            problems += 1
            say("FAIL", f"GPTProto API: the key works but the account is refused: {error.admin_detail}")
        except APIError as error:
            problems += 1
            say("FAIL", f"GPTProto API at {settings.api_base_url}: {error.admin_detail or error}")

        point_discord_at(settings.discord_api_base_url, settings.discord_gateway_url)
        http = discord.http.HTTPClient(loop=asyncio.get_running_loop())
        try:
            user = await asyncio.wait_for(http.static_login(settings.discord_token), timeout=15)
            say("ok", f"Discord: logged in as {user['username']} (id {user['id']})")
        except discord.LoginFailure:
            problems += 1
            say("FAIL", "Discord: DISCORD_TOKEN was refused; copy the bot token again from the developer portal")
        except (TimeoutError, aiohttp.ClientError, discord.HTTPException, OSError) as error:
            say("warn", f"Discord: could not reach {discord.http.Route.BASE} ({type(error).__name__}); "
                        "the token was not checked")
        finally:
            await http.close()

    say("ok" if not problems else "FAIL",
        "ready to run: python -m bot" if not problems else f"{problems} problem(s) to fix")
    return 0 if not problems else 1


async def migrate_db(settings: Settings, to: str, out=sys.stdout) -> int:
    """Copy the SQLite database of ``DATABASE_URL`` into the empty PostgreSQL one at ``to``; compare counts."""
    try:
        parse_postgres_url(to)
    except BadDatabaseURL as error:
        print(f"migrate-db: --to must be postgresql://user:password@host:port/db; this URL {error.reason}", file=out)
        return 2
    except ValueError:
        print("migrate-db: --to must be postgresql://user:password@host:port/db", file=out)
        return 2
    source_url = parse(settings.database_url)
    if source_url.backend != "sqlite" or source_url.path is None:
        print(f"migrate-db: DATABASE_URL must name the SQLite file to copy, not {source_url.shown}", file=out)
        return 2
    if not source_url.path.is_file():
        print(f"migrate-db: there is no SQLite file at {source_url.path} (DATABASE_URL); nothing to copy", file=out)
        return 1
    try:
        async with (await Database.open(settings.database_url) as source, await Database.open(to) as target):
            assert isinstance(target, PostgresDatabase)
            print(f"Copying {source.describe()} into {target.describe()} (schema version {target.schema_version})",
                  file=out)
            counts = await copy_into_empty(source, target)
    except TransferRefused as refusal:
        print(f"[FAIL] {refusal}", file=out)
        return 1
    except Exception as error:
        print(f"[FAIL] {redact(str(error) or type(error).__name__, (*settings.secrets, *secrets_of(to)))}",
              file=out)
        return 1
    width = max(len(c.table) for c in counts)
    print(f"  {'table':<{width}}  {'SQLite':>10}  {'PostgreSQL':>10}", file=out)
    for count in counts:
        mark = "" if count.same else "  DIFFERENT"
        print(f"  {count.table:<{width}}  {count.source:>10,}  {count.target:>10,}{mark}", file=out)
    if not all(c.same for c in counts):
        print("[FAIL] the counts differ; do not switch DATABASE_URL yet", file=out)
        return 1
    total = sum(c.target for c in counts)
    print(f"[ok] {total:,} rows copied, every table has the same count; set DATABASE_URL={redact_url(to)} "
          "(with its password) for every bot process", file=out)
    return 0


def price_report(settings: Settings) -> list[tuple[str, str]]:
    """``check``'s lines about money: the budgets, the price of each model, and models with none."""
    def amount(micros: int | None) -> str:
        return "unlimited" if micros is None else format_usd(micros, 2)

    budgets = (settings.user_daily_budget, settings.guild_daily_budget, settings.guild_monthly_budget)
    lines = [("ok", f"budgets: {amount(budgets[0])} per member per day, {amount(budgets[1])} per server "
                    f"per day, {amount(budgets[2])} per server per month (admins may override per server)")]
    where = f"PRICES_FILE {settings.prices_file}" if settings.prices_file else "the built-in table (no PRICES_FILE)"
    lines.append(("ok", f"prices in force, from {where}; copy your real prices from the GPTProto dashboard:"))
    pricing = settings.pricing
    for model in MODELS:
        price = pricing.price(model)
        if price is None:
            lines.append(("warn", f"  {model}: NO PRICE; refused while a money budget applies, since its "
                                  "cost cannot be kept within one; add it to PRICES_FILE"))
        elif price.estimate:
            lines.append(("warn", f"  {model}: {price.describe()}; {price.source}"))
        else:
            lines.append(("ok", f"  {model}: {price.describe()}; {price.source}"))
    return lines


async def health(settings: Settings, out=sys.stdout) -> int:
    """Ask the local /healthz (METRICS_HOST, METRICS_PORT); 0 when it says ok, 1 otherwise."""
    if not settings.metrics_port:
        print("unhealthy: METRICS_PORT is not set, so the bot serves no /healthz to ask", file=out)
        return 1
    ok, line = await ask(settings.metrics_host, settings.metrics_port)
    print(line, file=out)
    return 0 if ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m bot``."""
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", default="run",
                        choices=("run", "check", "sync", "health", "migrate-db"),
                        help="run the bot (default), check the configuration, push the commands, "
                             "ask the running bot's /healthz, or copy the SQLite database to PostgreSQL")
    parser.add_argument("--to", metavar="URL", help="migrate-db: the empty PostgreSQL database to copy into, "
                                                     "postgresql://user:password@host:port/db")
    args = parser.parse_args(argv)
    if (args.command == "migrate-db") != (args.to is not None):
        parser.error("--to goes with migrate-db, and migrate-db needs --to URL")
    settings = load_settings()
    if settings is None:
        return 1 if args.command == "health" else 2
    # check and health print their own report; only warnings from below belong beside it.
    quiet = args.command in ("check", "health", "migrate-db") and settings.log_level != "DEBUG"
    level = "WARNING" if quiet else settings.log_level
    setup_logging(level, secrets=(*settings.secrets, *secrets_of(args.to or "")), fmt=settings.log_format)
    if args.command == "migrate-db":
        return run_loop(migrate_db(settings, args.to))
    action = {"run": run, "check": check, "sync": sync, "health": health}[args.command]
    try:
        return run_loop(action(settings))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
