"""Every environment variable the settings read is documented, and nothing documented is stale."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READ = re.compile(r"env_(?:str|bool|int|list|secret)\(\s*\"([A-Z0-9_]+)\"")


def variables_read() -> set[str]:
    names = set(READ.findall((ROOT / "socialledger" / "settings.py").read_text()))
    secrets = {
        name
        for name in names
        if f'env_secret("{name}"' in (ROOT / "socialledger" / "settings.py").read_text()
    }
    return names | {f"{name}_FILE" for name in secrets}


def test_every_variable_is_in_the_configuration_page():
    page = (ROOT / "docs" / "configuration.md").read_text()
    documented = set(re.findall(r"^\| `([A-Z0-9_]+)` \|", page, re.MULTILINE))
    assert documented == variables_read()


def test_every_variable_is_in_env_example():
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^# ([A-Z0-9_]+)=", example, re.MULTILINE))
    assert listed == variables_read()
