"""A starting category tree for a housing ministry; administrators adjust it and route each to a unit."""

from django.db import migrations

CATEGORIES = [
    # (code, name, parent code, description)
    ("bsps", "Bantuan Stimulan Perumahan Swadaya (BSPS)", None, "Rumah swadaya, bantuan bahan bangunan"),
    ("bsps-penerima", "Penerima bantuan tidak tepat sasaran", "bsps", ""),
    ("bsps-pembangunan", "Pembangunan rumah tidak selesai atau tidak sesuai", "bsps", ""),
    ("bsps-dana", "Penyaluran dana atau bahan bangunan", "bsps", ""),
    ("rusun", "Rumah susun", None, "Rumah susun sewa dan milik"),
    ("rusun-fasilitas", "Air, listrik, lift dan fasilitas rusak", "rusun", ""),
    ("rusun-penghunian", "Penghunian dan sewa", "rusun", ""),
    ("rusus", "Rumah khusus", None, "Rumah khusus bagi nelayan, perbatasan, bencana dan lainnya"),
    ("psu", "Prasarana, sarana dan utilitas (PSU)", None, "Jalan, drainase, air minum dan sanitasi perumahan"),
    ("pungli", "Pungutan liar, suap dan gratifikasi", None, "Permintaan uang atau hadiah di luar ketentuan"),
    ("pelayanan", "Pelayanan petugas", None, "Sikap, kecepatan dan prosedur pelayanan"),
    ("lainnya", "Lainnya", None, ""),
]


def seed(apps, schema_editor):
    Category = apps.get_model("complaints", "Category")
    created = {}
    for order, (code, name, parent, description) in enumerate(CATEGORIES):
        created[code], _ = Category.objects.get_or_create(
            code=code,
            defaults={"name": name, "parent": created.get(parent), "description": description, "order": order},
        )


def unseed(apps, schema_editor):
    Category = apps.get_model("complaints", "Category")
    codes = [c[0] for c in CATEGORIES]
    Category.objects.filter(code__in=codes, parent__isnull=False).delete()
    Category.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
