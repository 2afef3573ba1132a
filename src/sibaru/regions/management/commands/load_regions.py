"""manage.py load_regions: load (or refresh) the Kemendagri region list from the repository's data file."""

from django.core.management.base import BaseCommand, CommandError

from sibaru.regions.services import RegionDataError, regions_load


class Command(BaseCommand):
    # `make run` calls this after migrate, which has run the system checks already.
    requires_system_checks: list[str] = []
    help = "Load the Kemendagri regions from src/sibaru/regions/data/regions.csv.gz (skipped when unchanged)."

    def add_arguments(self, parser):
        parser.add_argument("--path", help="another data file with the same columns (gzip CSV)")
        parser.add_argument("--force", action="store_true", help="compare every row even if the file is unchanged")

    def handle(self, *args, path=None, force=False, **options):
        try:
            summary = regions_load(path=path, force=force)
        except (RegionDataError, OSError) as exc:
            raise CommandError(f"region data not loaded: {exc}") from exc
        counts = ", ".join(f"{key} {value}" for key, value in summary.counts.items())
        if summary.skipped:
            self.stdout.write(f"Regions unchanged (sha256 {summary.sha256[:12]}): {counts}.")
            return
        self.stdout.write(
            f"Regions loaded in {summary.seconds:.1f} s: {summary.created} created, {summary.updated} updated, "
            f"{summary.unchanged} unchanged; {counts}."
        )
        if summary.obsolete:
            shown = ", ".join(summary.obsolete[:20]) + (" …" if len(summary.obsolete) > 20 else "")
            self.stdout.write(
                self.style.WARNING(
                    f"{len(summary.obsolete)} codes are no longer in the file; kept and marked not current: {shown}"
                )
            )
