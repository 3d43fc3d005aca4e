"""Every command of the core's table is reachable on Discord, with its options, through the synced command tree."""

from __future__ import annotations

import re
from typing import Any

import discord

from briefings.access import Caller
from briefings.commands.parse import parse
from briefings.commands.table import COMMANDS
from briefings.reply import Reply
from tests.fakes_discord import APP_ID, GUILD_ID, MOD_ROLE
from tests.test_discord import Running, bot, embed_text, fake  # noqa: F401  (fixtures)

Json = dict[str, Any]
FREE_TEXT = {"fields", "args", "text"}
"""Options taking `key=value ...` or other words as typed."""
SUBCOMMAND, STRING, INTEGER, BOOLEAN = 1, 3, 4, 5


def synced(running: Running) -> tuple[Json, Json]:
    """The top-level commands and the entry group's subcommands, by name, as registered with Discord."""
    [put] = [c for c in running.fake.calls if c.method == "PUT"]
    assert put.path == f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands"
    top = {command["name"]: command for command in put.body}
    entry = {sub["name"]: sub for sub in top["briefing"]["options"] if sub["type"] == SUBCOMMAND}
    return top, entry


def asked_for(usage: str, name: str) -> tuple[set[str], set[str]]:
    """What a usage line asks for: option names (`key=`, `[place]`, `ID`) and the words or alternatives that
    follow the command's name (`accept`, `public|secret|off`)."""
    options = {key for key in re.findall(r"\b([a-z_]+)=", usage) if key != "key"}
    words: set[str] = set()
    for form in usage.split(" · "):
        tokens = form.split()
        for at, token in enumerate(tokens[1:], 1):
            bare = token.strip("[]")
            leading = at == 1 or tokens[at - 1] == "|"
            if "=" in bare or "..." in bare or "…" in bare:
                continue
            if re.fullmatch(r"[A-Z]+", bare):
                if not re.fullmatch(r"[A-Z]+", tokens[at - 1]):  # TEXT OF THE ARTICLE: one placeholder
                    options.add(bare.lower())
            elif token.startswith("[") and re.fullmatch(r"[a-z]+", bare):
                options.add(bare)
            elif leading and re.fullmatch(r"[a-z]+(\|[a-z]+)*", bare) and bare != name:
                words |= set(bare.split("|"))
    return options, words


async def test_every_table_command_is_on_discord_with_its_options(bot: Running) -> None:  # noqa: F811
    top, entry = synced(bot)
    hidden = str(discord.Permissions(manage_messages=True).value)
    for name, command in COMMANDS.items():
        if command.moderators_only:
            shown = top[name]
            assert str(shown["default_member_permissions"]) == hidden, name
            assert name not in entry, name
        else:
            shown = entry[name]
            assert name not in top or top[name].get("default_member_permissions") is None, name
        given = {o["name"]: o for o in shown.get("options", [])}
        options, _ = asked_for(command.usage, name)
        missing = options - set(given)
        assert not missing or FREE_TEXT & set(given), (name, missing)


async def test_every_table_command_hands_its_options_to_the_core(bot: Running) -> None:  # noqa: F811
    """Each command run with every option filled: the core gets that command, every value and the usage's words."""
    top, entry = synced(bot)
    seen: list[str] = []
    handle = bot.briefings.handle

    async def recording(text: str, caller: Caller, request_id: str = "") -> Reply:
        seen.append(text)
        return await handle(text, caller, request_id)

    bot.briefings.handle = recording  # type: ignore[method-assign]
    for person, (name, command) in enumerate(COMMANDS.items()):
        moderator = {"user_id": str(400 + person), "roles": [MOD_ROLE]}  # one each: within the per-person limit
        shown = top[name] if command.moderators_only else entry[name]
        values: Json = {}
        for number, option in enumerate(shown.get("options", [])):
            if option.get("choices"):
                values[option["name"]] = option["choices"][0]["value"]
            elif option["type"] == INTEGER:
                values[option["name"]] = 100 + number
            elif option["type"] == BOOLEAN:
                values[option["name"]] = True
            else:
                values[option["name"]] = f"x{option['name']}"
        seen.clear()
        invoked = name if command.moderators_only else f"briefing {name}"
        await bot.ask(invoked, values, **moderator)
        [text] = seen
        assert parse(text).name == name, text
        for option, value in values.items():
            expected = option if value is True else str(value)
            assert expected in text, (name, option, text)
        _, words = asked_for(command.usage, name)
        for word in words if not FREE_TEXT & set(values) else ():  # else typed in the free text
            chosen = [o for o in shown.get("options", []) if word in {c["value"] for c in o.get("choices", [])}]
            assert chosen or re.search(rf"\b{word}\b", text), (name, word, text)


async def test_toll_takes_a_category_typed_or_chosen_from_those_with_figures(bot: Running) -> None:  # noqa: F811
    civilians = embed_text(await bot.ask("toll", {"category": "civilians"}))
    assert "Civilians killed" in civilians and "4 civilians killed" in civilians and "48 killed" not in civilians
    wounded = embed_text(await bot.ask("briefing toll", {"category": "wounded", "place": "Jabla"}))
    assert "No figure for wounded has been reported for Jableh itself" in wounded
    body = await bot.fake.interact(bot.fake.autocomplete("toll", "category", "ki"))
    assert [choice["value"] for choice in body["data"]["choices"]] == ["killed", "kidnapped"]
