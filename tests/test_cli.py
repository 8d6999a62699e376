"""Every command answers --help and is documented in the README."""

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from refkit.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found.extend(commands(command, (*prefix, name)))
    return found


@pytest.mark.parametrize("command", commands(main), ids=" ".join)
def test_every_command_has_help_and_a_readme_mention(command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"], catch_exceptions=False)
    assert result.exit_code == 0 and "Usage: " in result.output
    assert f"refkit {command[0]}" in README


def test_every_option_of_the_network_commands_is_in_the_readme() -> None:
    for name in ("resolve", "check", "export"):
        for parameter in main.commands[name].params:
            if isinstance(parameter, click.Option) and parameter.opts[-1] not in ("--help", "-h"):
                assert parameter.opts[-1] in README, f"refkit {name} {parameter.opts[-1]}"
