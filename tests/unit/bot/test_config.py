"""Unit tests for bot.config: Settings.from_env parses every variable, reports every problem at once
(one line per variable) and never shows a secret."""

from __future__ import annotations

import os

import pytest

from bot.config import DEFAULT_BASE_URL, DEFAULT_DATABASE_URL, ConfigError, Settings

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.discord-token-secret-value"
KEY = "sk-live-0123456789abcdefSECRET"
ALL_VARS = (
    "DISCORD_TOKEN", "GPTPROTO_API_KEY", "GPTPROTO_BASE_URL", "DISCORD_API_BASE_URL", "DISCORD_GATEWAY_URL",
    "DATABASE_URL", "DEFAULT_MODEL", "DEFAULT_EDIT_MODEL", "USER_DAILY_IMAGES", "GUILD_DAILY_IMAGES",
    "MAX_CONCURRENT_JOBS", "MAX_JOBS_PER_USER", "EDIT_TIMEOUT_S", "PREVIEW_IMAGES", "DEV_GUILD_ID", "LOG_LEVEL",
    "LOG_FORMAT", "METRICS_PORT", "METRICS_HOST", "SHARD_COUNT", "SHARD_IDS", "JOB_LEASE_S",
)


def env(**extra: str) -> dict[str, str]:
    return {"DISCORD_TOKEN": TOKEN, "GPTPROTO_API_KEY": KEY, **extra}


def problems(environ: dict[str, str]) -> list[str]:
    with pytest.raises(ConfigError) as info:
        Settings.from_env(environ)
    assert str(info.value) == "\n".join(info.value.problems)
    return info.value.problems


def assert_no_secret(text: str) -> None:
    assert TOKEN not in text and KEY not in text
    assert "SECRET" not in text and "secret-value" not in text


@pytest.fixture
def clean_environ(monkeypatch):
    """Remove the bot's variables from os.environ for the test, restoring them afterwards.

    setenv before delenv makes monkeypatch remember each variable, so anything load_dotenv adds is
    removed again at teardown.
    """
    for name in ALL_VARS:
        monkeypatch.setenv(name, "x")
        monkeypatch.delenv(name)
    return monkeypatch


# --------------------------------------------------------------------------- defaults and parsing


def test_defaults_with_only_the_two_secrets():
    """With only the two secrets set, every other setting takes its documented default."""
    s = Settings.from_env(env())
    assert s.discord_token == TOKEN and s.api_key == KEY
    assert s.api_base_url == DEFAULT_BASE_URL == "https://gptproto.com"
    assert s.discord_api_base_url is None and s.discord_gateway_url is None
    assert s.database_url == DEFAULT_DATABASE_URL == "sqlite:///data/bot.db"
    assert s.default_model == "gpt-image-1" and s.default_edit_model == "gpt-image-1.5-plus"
    assert (s.user_daily_images, s.guild_daily_images) == (20, 200)
    assert (s.max_concurrent_jobs, s.max_jobs_per_user) == (4, 2)
    assert s.edit_timeout_s == 600.0 and s.preview_images == 2
    assert s.dev_guild_id is None and s.log_level == "INFO"
    assert s.log_format == "text" and s.metrics_port is None and s.metrics_host == "127.0.0.1"
    assert s.secrets == (TOKEN, KEY)


def test_every_variable_is_parsed():
    """Each documented variable reaches its setting, converted to the right type."""
    s = Settings.from_env(env(
        GPTPROTO_BASE_URL="http://127.0.0.1:8080/", DISCORD_API_BASE_URL="http://127.0.0.1:9000/api",
        DISCORD_GATEWAY_URL="ws://127.0.0.1:9001", DATABASE_URL="sqlite:////var/lib/bot/bot.db",
        DEFAULT_MODEL="gpt-image-2", DEFAULT_EDIT_MODEL="gpt-image-2-plus", USER_DAILY_IMAGES="5",
        GUILD_DAILY_IMAGES="50", MAX_CONCURRENT_JOBS="8", MAX_JOBS_PER_USER="3", EDIT_TIMEOUT_S="120",
        PREVIEW_IMAGES="3", DEV_GUILD_ID="123456789012345678", LOG_LEVEL="debug",
    ))
    assert s.api_base_url == "http://127.0.0.1:8080"  # trailing slash dropped
    assert s.discord_api_base_url == "http://127.0.0.1:9000/api"
    assert s.discord_gateway_url == "ws://127.0.0.1:9001"
    assert s.database_url == "sqlite:////var/lib/bot/bot.db"
    assert (s.default_model, s.default_edit_model) == ("gpt-image-2", "gpt-image-2-plus")
    assert (s.user_daily_images, s.guild_daily_images) == (5, 50)
    assert (s.max_concurrent_jobs, s.max_jobs_per_user) == (8, 3)
    assert s.edit_timeout_s == 120.0 and isinstance(s.edit_timeout_s, float)
    assert s.preview_images == 3
    assert s.dev_guild_id == 123456789012345678
    assert s.log_level == "DEBUG"


def test_values_are_stripped_and_blank_means_unset():
    """Outer white space is ignored and a blank value counts as not set."""
    s = Settings.from_env(env(DISCORD_TOKEN=f"  {TOKEN}\n", MAX_CONCURRENT_JOBS=" 6 ", LOG_LEVEL="   ",
                              GPTPROTO_BASE_URL=""))
    assert s.discord_token == TOKEN
    assert s.max_concurrent_jobs == 6
    assert s.log_level == "INFO" and s.api_base_url == DEFAULT_BASE_URL


def test_quota_limits_carry_the_settings():
    """quota_limits hands the configured daily limits and per-member job cap to the quota store."""
    limits = Settings.from_env(env(USER_DAILY_IMAGES="unlimited", GUILD_DAILY_IMAGES="0",
                                   MAX_JOBS_PER_USER="5")).quota_limits()
    assert (limits.user_daily, limits.guild_daily, limits.max_jobs_per_user) == (None, 0, 5)


# --------------------------------------------------------------------------- required secrets


@pytest.mark.parametrize(("missing", "kept"), [("DISCORD_TOKEN", "GPTPROTO_API_KEY"),
                                               ("GPTPROTO_API_KEY", "DISCORD_TOKEN")])
@pytest.mark.parametrize("value", [None, "", "   "])
def test_missing_secret_gives_one_line_naming_it(missing, kept, value):
    """A missing (or blank) DISCORD_TOKEN or GPTPROTO_API_KEY gives exactly one line naming it."""
    environ = env()
    if value is None:
        del environ[missing]
    else:
        environ[missing] = value
    lines = problems(environ)
    assert len(lines) == 1
    assert lines[0].startswith(f"{missing} is missing")
    assert kept not in lines[0]


def test_both_secrets_missing_give_two_lines():
    """With neither secret set, each gets its own line."""
    lines = problems({})
    assert len(lines) == 2
    assert lines[0].startswith("DISCORD_TOKEN is missing") and lines[1].startswith("GPTPROTO_API_KEY is missing")


@pytest.mark.parametrize("name", ["DISCORD_TOKEN", "GPTPROTO_API_KEY"])
@pytest.mark.parametrize("bad", [f"{KEY[:10]} {KEY[10:]}", f"{KEY}\x07", f"{KEY[:5]}\t{KEY[5:]}"])
def test_secret_with_spaces_or_control_characters_is_refused_without_echoing_it(name, bad):
    """A pasted secret with inner spaces or control characters is refused and not echoed back."""
    lines = problems(env(**{name: bad}))
    assert len(lines) == 1 and lines[0].startswith(name) and "spaces or control characters" in lines[0]
    for part in bad.split():
        assert part not in lines[0]


def test_several_problems_are_reported_at_once():
    """Every broken variable is reported in the same error, one line each, in a stable order."""
    lines = problems({
        "GPTPROTO_API_KEY": KEY, "GPTPROTO_BASE_URL": "ftp://gptproto.com", "DATABASE_URL": "mysql://db/bot",
        "DEFAULT_MODEL": "dall-e-3", "MAX_CONCURRENT_JOBS": "four", "USER_DAILY_IMAGES": "-1",
        "LOG_LEVEL": "loud", "DEV_GUILD_ID": "123",
    })
    names = [line.split(" ")[0] for line in lines]
    assert sorted(names) == sorted(["DISCORD_TOKEN", "GPTPROTO_BASE_URL", "DATABASE_URL", "DEFAULT_MODEL",
                                    "MAX_CONCURRENT_JOBS", "USER_DAILY_IMAGES", "LOG_LEVEL", "DEV_GUILD_ID"])
    assert len(lines) == len(set(names))


# --------------------------------------------------------------------------- numbers and limits


@pytest.mark.parametrize(("name", "value", "fragment"), [
    ("MAX_CONCURRENT_JOBS", "four", "must be a whole number, not 'four'"),
    ("MAX_CONCURRENT_JOBS", "2.5", "must be a whole number, not '2.5'"),
    ("MAX_CONCURRENT_JOBS", "0", "must be between 1 and 64, not 0"),
    ("MAX_CONCURRENT_JOBS", "65", "must be between 1 and 64, not 65"),
    ("MAX_JOBS_PER_USER", "0", "must be between 1 and 100, not 0"),
    ("MAX_JOBS_PER_USER", "101", "must be between 1 and 100, not 101"),
    ("EDIT_TIMEOUT_S", "9", "must be between 10 and 86400, not 9"),
    ("EDIT_TIMEOUT_S", "86401", "must be between 10 and 86400, not 86401"),
    ("EDIT_TIMEOUT_S", "10m", "must be a whole number, not '10m'"),
    ("PREVIEW_IMAGES", "4", "must be between 0 and 3, not 4"),
    ("PREVIEW_IMAGES", "-1", "must be between 0 and 3, not -1"),
])
def test_bad_integers_are_reported_with_the_range(name, value, fragment):
    """A number that doesn't parse or is out of range gives one line with the variable and the range."""
    assert problems(env(**{name: value})) == [f"{name} {fragment}"]


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("MAX_CONCURRENT_JOBS", "1", 1), ("MAX_CONCURRENT_JOBS", "64", 64), ("MAX_JOBS_PER_USER", "100", 100),
    ("EDIT_TIMEOUT_S", "10", 10.0), ("EDIT_TIMEOUT_S", "86400", 86400.0), ("PREVIEW_IMAGES", "0", 0),
])
def test_integer_edges_are_accepted(name, value, expected):
    """Numbers exactly on the ends of their ranges are accepted."""
    attr = {"MAX_CONCURRENT_JOBS": "max_concurrent_jobs", "MAX_JOBS_PER_USER": "max_jobs_per_user",
            "EDIT_TIMEOUT_S": "edit_timeout_s", "PREVIEW_IMAGES": "preview_images"}[name]
    assert getattr(Settings.from_env(env(**{name: value})), attr) == expected


@pytest.mark.parametrize("name", ["USER_DAILY_IMAGES", "GUILD_DAILY_IMAGES"])
@pytest.mark.parametrize(("value", "expected"), [
    ("unlimited", None), ("UNLIMITED", None), ("none", None), ("inf", None), ("infinite", None),
    ("0", 0), ("1", 1), ("100000", 100000),
])
def test_daily_limits_take_numbers_zero_and_unlimited(name, value, expected):
    """Daily limits take a number, 0 (switched off) or 'unlimited' (no limit, None)."""
    assert getattr(Settings.from_env(env(**{name: value})), name.lower()) == expected


@pytest.mark.parametrize("name", ["USER_DAILY_IMAGES", "GUILD_DAILY_IMAGES"])
@pytest.mark.parametrize(("value", "fragment"), [("-1", "0 or more"), ("lots", "whole number of images"),
                                                 ("1e3", "whole number of images")])
def test_bad_daily_limits_are_reported(name, value, fragment):
    """A negative or non-numeric daily limit is reported, explaining 0 and 'unlimited'."""
    lines = problems(env(**{name: value}))
    assert len(lines) == 1 and lines[0].startswith(name) and fragment in lines[0] and "unlimited" in lines[0]


# --------------------------------------------------------------------------- URLs


@pytest.mark.parametrize(("name", "value"), [
    ("GPTPROTO_BASE_URL", "gptproto.com"), ("GPTPROTO_BASE_URL", "ftp://gptproto.com"),
    ("GPTPROTO_BASE_URL", "http://"), ("GPTPROTO_BASE_URL", "ws://127.0.0.1"),
    ("DISCORD_API_BASE_URL", "discord.com/api"), ("DISCORD_API_BASE_URL", "wss://gateway"),
    ("DISCORD_GATEWAY_URL", "http://127.0.0.1:9001"), ("DISCORD_GATEWAY_URL", "gateway.discord.gg"),
])
def test_bad_urls_are_reported_with_the_schemes(name, value):
    """A URL without a host or with the wrong scheme is reported, naming the schemes allowed."""
    lines = problems(env(**{name: value}))
    assert len(lines) == 1 and lines[0].startswith(f"{name} must be a ")
    assert (" ws or wss URL" in lines[0]) is (name == "DISCORD_GATEWAY_URL")


@pytest.mark.parametrize("value", ["https://api.example.com", "http://127.0.0.1:1234", "https://gptproto.com/"])
def test_good_base_urls(value):
    """http and https base URLs are accepted, without a trailing slash."""
    assert Settings.from_env(env(GPTPROTO_BASE_URL=value)).api_base_url == value.rstrip("/")


@pytest.mark.parametrize("value", ["postgres://localhost", "postgresql://u:pw-secret@/db", "postgresql://h:port/db",
                                   "sqlite://relative.db", "bot.db", "mysql:///x"])
def test_bad_database_url(value):
    """A DATABASE_URL that is neither sqlite:///... nor a whole postgresql:// URL is reported with the
    accepted forms, naming only its scheme or what is missing."""
    lines = problems(env(DATABASE_URL=value))
    assert len(lines) == 1 and lines[0].startswith("DATABASE_URL must look like sqlite:///")
    if ":" in value:
        assert value not in lines[0], "a URL may hold a password: only its scheme is shown"


def test_bad_url_with_a_password_is_not_echoed():
    """A wrong GPTPROTO_BASE_URL carrying user:password is reported without either."""
    lines = problems(env(GPTPROTO_BASE_URL="ftp://admin:hunter2@proxy.local"))
    assert len(lines) == 1 and "GPTPROTO_BASE_URL" in lines[0] and "'ftp' URL" in lines[0]
    assert "hunter2" not in lines[0]


# --------------------------------------------------------------------------- models, guild, log level


@pytest.mark.parametrize("value", ["dall-e-3", "gpt-image-1.5-plus", "GPT-IMAGE-1"])
def test_bad_default_model(value):
    """DEFAULT_MODEL must be a text-to-image model; the line lists them."""
    lines = problems(env(DEFAULT_MODEL=value))
    assert len(lines) == 1 and lines[0].startswith("DEFAULT_MODEL must be one of gpt-image-1,")
    assert "gemini-2.5-flash-image" in lines[0] and repr(value) in lines[0]


@pytest.mark.parametrize("value", ["gpt-image-1", "gpt-image-3-plus"])
def test_bad_default_edit_model(value):
    """DEFAULT_EDIT_MODEL must be an edit model; the line lists them."""
    lines = problems(env(DEFAULT_EDIT_MODEL=value))
    assert lines == [f"DEFAULT_EDIT_MODEL must be one of gpt-image-1.5-plus, gpt-image-2-plus, not {value!r}"]


@pytest.mark.parametrize("model", ["gpt-image-1", "gpt-image-1-mini", "gpt-image-1.5", "gpt-image-2",
                                   "gpt-4o-image-vip", "gemini-2.5-flash-image"])
def test_every_generate_model_can_be_the_default(model):
    """Each of the six text-to-image models is a valid DEFAULT_MODEL."""
    assert Settings.from_env(env(DEFAULT_MODEL=model)).default_model == model


@pytest.mark.parametrize("value", ["123", "abc123456789012345", "-123456789012345678", "1234567890.12345"])
def test_bad_dev_guild_id(value):
    """DEV_GUILD_ID must be a long number (a Discord snowflake)."""
    lines = problems(env(DEV_GUILD_ID=value))
    assert len(lines) == 1 and lines[0].startswith("DEV_GUILD_ID must be a server id")


@pytest.mark.parametrize(("value", "expected"), [("debug", "DEBUG"), ("Warning", "WARNING"), ("ERROR", "ERROR"),
                                                 ("critical", "CRITICAL"), ("info", "INFO")])
def test_log_levels(value, expected):
    """LOG_LEVEL takes the standard level names in any case."""
    assert Settings.from_env(env(LOG_LEVEL=value)).log_level == expected


@pytest.mark.parametrize("value", ["verbose", "trace", "10", "WARN "])
def test_bad_log_level(value):
    """An unknown LOG_LEVEL is reported with the accepted names."""
    lines = problems(env(LOG_LEVEL=value))
    if value.strip().upper() == "WARN":
        assert "LOG_LEVEL must be one of CRITICAL, ERROR, WARNING, INFO, DEBUG, not 'WARN'" in lines
    else:
        assert len(lines) == 1 and lines[0].startswith("LOG_LEVEL must be one of CRITICAL, ERROR, WARNING")


# --------------------------------------------------------------------------- operations


def test_metrics_and_log_format_are_parsed():
    """METRICS_PORT, METRICS_HOST and LOG_FORMAT reach their settings."""
    s = Settings.from_env(env(METRICS_PORT="9464", METRICS_HOST="0.0.0.0", LOG_FORMAT="JSON"))
    assert (s.metrics_port, s.metrics_host, s.log_format) == (9464, "0.0.0.0", "json")
    assert Settings.from_env(env(METRICS_PORT=" ", METRICS_HOST="::")).metrics_port is None
    assert Settings.from_env(env(METRICS_HOST="::")).metrics_host == "::"


@pytest.mark.parametrize(("value", "fragment"), [
    ("http", "METRICS_PORT must be a whole number, not 'http'"),
    ("0", "METRICS_PORT must be between 1 and 65535, not 0"),
    ("70000", "METRICS_PORT must be between 1 and 65535, not 70000"),
])
def test_bad_metrics_port(value, fragment):
    """A METRICS_PORT that is not a port number gives one line naming it."""
    assert problems(env(METRICS_PORT=value)) == [fragment]


@pytest.mark.parametrize("value", ["my-host.example", "127.0.0.1:9464", "http://0.0.0.0"])
def test_bad_metrics_host(value):
    """METRICS_HOST must be an address to bind, not a name or a URL."""
    (line,) = problems(env(METRICS_HOST=value))
    assert line.startswith("METRICS_HOST must be an IP address") and repr(value) in line


@pytest.mark.parametrize("value", ["yaml", "logfmt", "1"])
def test_bad_log_format(value):
    """An unknown LOG_FORMAT is reported with the accepted values."""
    assert problems(env(LOG_FORMAT=value)) == [f"LOG_FORMAT must be one of text, json, not {value!r}"]


# --------------------------------------------------------------------------- secrets never shown


def test_repr_and_str_hide_the_secrets():
    """repr() and str() of Settings show that the secrets are set, never their value."""
    s = Settings.from_env(env())
    for text in (repr(s), str(s), f"{s}", f"{s!r}"):
        assert_no_secret(text)
        assert "<set, " in text
    assert f"<set, {len(TOKEN)} characters>" in repr(s)


def test_problems_never_contain_the_secrets():
    """Even with every other variable broken, no problem line shows a secret."""
    broken = {name: "bad value!" for name in ALL_VARS}
    broken["DISCORD_TOKEN"] = TOKEN + " x"
    broken["GPTPROTO_API_KEY"] = "\x01" + KEY
    with pytest.raises(ConfigError) as info:
        Settings.from_env(broken)
    assert len(info.value.problems) >= 10
    for text in (str(info.value), repr(info.value), *info.value.problems):
        assert_no_secret(text)


def test_settings_equality_ignores_the_secrets_list():
    """Two Settings with the same values compare equal; the derived secrets tuple is not compared."""
    assert Settings.from_env(env()) == Settings(discord_token=TOKEN, api_key=KEY)


# --------------------------------------------------------------------------- .env


def test_dotenv_is_loaded_and_the_environment_wins(tmp_path, clean_environ):
    """Variables in .env are used, but one already in the environment beats the .env value."""
    (tmp_path / ".env").write_text(
        f"DISCORD_TOKEN={TOKEN}\nGPTPROTO_API_KEY=sk-from-dotenv-000000\nLOG_LEVEL=debug\nMAX_CONCURRENT_JOBS=7\n"
    )
    clean_environ.chdir(tmp_path)
    clean_environ.setenv("GPTPROTO_API_KEY", KEY)
    clean_environ.setenv("MAX_CONCURRENT_JOBS", "9")
    s = Settings.from_env()
    assert s.discord_token == TOKEN  # only in .env
    assert s.log_level == "DEBUG"
    assert s.api_key == KEY  # environment wins
    assert s.max_concurrent_jobs == 9


def test_dotenv_path_can_be_given(tmp_path, clean_environ):
    """An explicit dotenv_path is read instead of ./.env."""
    (tmp_path / "bot.env").write_text(f'DISCORD_TOKEN="{TOKEN}"\nGPTPROTO_API_KEY={KEY}\n')
    clean_environ.chdir(tmp_path)
    s = Settings.from_env(dotenv_path=tmp_path / "bot.env")
    assert (s.discord_token, s.api_key) == (TOKEN, KEY)


def test_missing_dotenv_is_fine(tmp_path, clean_environ):
    """Without a .env file the environment alone is used."""
    clean_environ.chdir(tmp_path)
    clean_environ.setenv("DISCORD_TOKEN", TOKEN)
    clean_environ.setenv("GPTPROTO_API_KEY", KEY)
    assert Settings.from_env().api_key == KEY


def test_dotenv_none_skips_the_file(tmp_path, clean_environ):
    """dotenv_path=None ignores .env, so its secrets are reported missing."""
    (tmp_path / ".env").write_text(f"DISCORD_TOKEN={TOKEN}\nGPTPROTO_API_KEY={KEY}\n")
    clean_environ.chdir(tmp_path)
    with pytest.raises(ConfigError) as info:
        Settings.from_env(dotenv_path=None)
    assert len(info.value.problems) == 2
    assert "DISCORD_TOKEN" not in os.environ


def test_explicit_environ_skips_dotenv(tmp_path, clean_environ):
    """Passing environ reads only that mapping, not .env or os.environ."""
    (tmp_path / ".env").write_text("LOG_LEVEL=debug\n")
    clean_environ.chdir(tmp_path)
    clean_environ.setenv("MAX_CONCURRENT_JOBS", "9")
    s = Settings.from_env(env())
    assert s.log_level == "INFO" and s.max_concurrent_jobs == 4
    assert "LOG_LEVEL" not in os.environ


# --------------------------------------------------------------------------- scaling out

PG = {"DATABASE_URL": "postgresql://bot:pw@db:5432/bot"}


def test_a_postgresql_url_is_accepted_and_its_password_kept_secret():
    """postgresql://user:password@host:port/db is valid; the password joins the secrets and never shows."""
    s = Settings.from_env(env(DATABASE_URL="postgresql://bot:db-Passw0rd-x@db.internal:5432/imagebot"))
    assert s.database_url == "postgresql://bot:db-Passw0rd-x@db.internal:5432/imagebot"
    assert "db-Passw0rd-x" in s.secrets
    assert "db-Passw0rd-x" not in repr(s) and "postgresql://bot:***@db.internal:5432/imagebot" in repr(s)


def test_shards_and_lease_default_to_one_process_and_60_seconds():
    """Without SHARD_COUNT and SHARD_IDS one process runs every shard; a job's lease lasts 60 s."""
    s = Settings.from_env(env())
    assert (s.shard_count, s.shard_ids, s.job_lease_s) == (None, None, 60.0)


def test_shards_of_this_process_are_read():
    """SHARD_IDS (any order, spaces allowed) of SHARD_COUNT; SHARD_COUNT alone runs all its shards here."""
    s = Settings.from_env(env(SHARD_COUNT="4", SHARD_IDS=" 3, 1", JOB_LEASE_S="3",
                              DATABASE_URL="postgresql://bot:pw@db:5432/bot"))
    assert (s.shard_count, s.shard_ids, s.job_lease_s) == (4, (1, 3), 3.0)
    alone = Settings.from_env(env(SHARD_COUNT="2"))
    assert (alone.shard_count, alone.shard_ids) == (2, None)
    every = Settings.from_env(env(SHARD_COUNT="2", SHARD_IDS="1,0"))
    assert every.shard_ids == (0, 1)


def test_shards_left_to_other_processes_need_postgresql():
    """A SQLite file serves one process: SHARD_IDS that leave shards to others is refused with it."""
    lines = problems(env(SHARD_COUNT="2", SHARD_IDS="0"))
    assert len(lines) == 1 and lines[0].startswith("SHARD_IDS leaves shards to other processes")


@pytest.mark.parametrize(("extra", "fragments"), [
    ({"SHARD_IDS": "0"}, ["SHARD_IDS needs SHARD_COUNT"]),
    ({"SHARD_COUNT": "0", "SHARD_IDS": "0"}, ["SHARD_COUNT must be a whole number between 1 and"]),
    ({"SHARD_COUNT": "two"}, ["SHARD_COUNT must be a whole number"]),
    ({"SHARD_COUNT": "2", "SHARD_IDS": "0,2", **PG}, ["SHARD_IDS must be below SHARD_COUNT (2)"]),
    ({"SHARD_COUNT": "4", "SHARD_IDS": "1,1", **PG}, ["SHARD_IDS names a shard twice"]),
    ({"SHARD_COUNT": "4", "SHARD_IDS": "one"}, ["SHARD_IDS must be shard numbers"]),
    ({"SHARD_COUNT": "4", "SHARD_IDS": "1,1,9", **PG}, ["SHARD_IDS names a shard twice", "SHARD_IDS must be below"]),
    ({"JOB_LEASE_S": "1"}, ["JOB_LEASE_S must be between 2 and 3600"]),
])
def test_bad_shards_and_lease_give_one_line_per_problem(extra, fragments):
    """Each problem with the shard settings or the lease is one line naming the variable."""
    lines = problems(env(**extra))
    assert len(lines) == len(fragments)
    for line, fragment in zip(lines, fragments, strict=True):
        assert fragment in line
