"""The organisation registry: canonical names, aliases and stable slugs (``data/registry/organizations.csv``).

One department gets one IRI across years and documents: names are matched after normalisation
(NFKC, whitespace removed) against the canonical name and the aliases. A department that is not
registered gets a slug derived from its normalised name, so it is still stable.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .datafiles import normalize_name, read_csv_rows
from .errors import SettingsError
from .iris import short_hash
from .package_data import registry_file


@dataclass(frozen=True)
class Organization:
    slug: str
    name: str
    aliases: tuple[str, ...] = ()
    region: str | None = None
    region_code: str | None = None
    parent_region: str | None = None
    parent_region_code: str | None = None
    registered: bool = True

    def knows(self, name: str) -> bool:
        """True when ``name`` is this organisation's name or a registered alias."""
        wanted = normalize_name(name)
        return any(normalize_name(known) == wanted for known in (self.name, *self.aliases))


class Registry:
    def __init__(self, organizations: list[Organization]) -> None:
        self.organizations = organizations
        self._index: dict[str, Organization] = {}
        for org in organizations:
            for name in (org.name, *org.aliases):
                self._index.setdefault(normalize_name(name), org)

    @classmethod
    def load(cls, path: Path | None = None) -> Registry:
        """The registry in ``path`` (default: the one shipped with the package)."""
        path = path or registry_file()
        rows = read_csv_rows(path, "Organisation registry")
        orgs = []
        for line, row in enumerate(rows, start=2):
            if not row.get("slug") or not row.get("name"):
                raise SettingsError(f"{path}, line {line}: slug and name are required")
            orgs.append(Organization(
                slug=row["slug"], name=row["name"],
                aliases=tuple(a for a in (row.get("aliases") or "").split("|") if a),
                region=row.get("region") or None, region_code=row.get("region_code") or None,
                parent_region=row.get("parent_region") or None,
                parent_region_code=row.get("parent_region_code") or None,
            ))
        return cls(orgs)

    def resolve(self, name: str) -> Organization:
        """The registered organisation of that name or alias, else an unregistered one."""
        found = self._index.get(normalize_name(name))
        if found is not None:
            return found
        return Organization(slug=f"org-{short_hash(normalize_name(name))}", name=name, registered=False)
