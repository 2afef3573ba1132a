"""The grounds as UU 14/2008 words them (reference/legal.md §1a–1b): Pasal 17 exemptions and Pasal 35(1)
objection grounds. Administrators may edit or deactivate them; the seed never overwrites an edited row.

Where legal.md shortens a Pasal 17 point with "…", the words were completed from UU 14/2008 as commonly
published [S2]: check them against the Lembaran Negara text before production (the admin edits them)."""

from django.db import migrations

PASAL_17 = {
    "a": ("Informasi Publik yang apabila dibuka dan diberikan kepada Pemohon Informasi Publik dapat menghambat "
          "proses penegakan hukum, yaitu informasi yang dapat:", [
        "menghambat proses penyelidikan dan penyidikan suatu tindak pidana;",
        "mengungkapkan identitas informan, pelapor, saksi, dan/atau korban yang mengetahui adanya tindak pidana;",
        "mengungkapkan data intelijen kriminal dan rencana-rencana yang berhubungan dengan pencegahan dan "
        "penanganan segala bentuk kejahatan transnasional;",
        "membahayakan keselamatan dan kehidupan penegak hukum dan/atau keluarganya; dan/atau",
        "membahayakan keamanan peralatan, sarana, dan/atau prasarana penegak hukum.",
    ]),
    "b": ("Informasi Publik yang apabila dibuka dan diberikan kepada Pemohon Informasi Publik dapat mengganggu "
          "kepentingan perlindungan hak atas kekayaan intelektual dan perlindungan dari persaingan usaha tidak "
          "sehat;", []),
    "c": ("Informasi Publik yang apabila dibuka dan diberikan kepada Pemohon Informasi Publik dapat membahayakan "
          "pertahanan dan keamanan negara, yaitu:", [
        "informasi tentang strategi, intelijen, operasi, taktik dan teknik yang berkaitan dengan penyelenggaraan "
        "sistem pertahanan dan keamanan negara, meliputi tahap perencanaan, pelaksanaan dan pengakhiran atau "
        "evaluasi dalam kaitan dengan ancaman dari dalam dan luar negeri;",
        "dokumen yang memuat tentang strategi, intelijen, operasi, teknik dan taktik yang berkaitan dengan "
        "penyelenggaraan sistem pertahanan dan keamanan negara yang meliputi tahap perencanaan, pelaksanaan dan "
        "pengakhiran atau evaluasi;",
        "jumlah, komposisi, disposisi, atau dislokasi kekuatan dan kemampuan dalam penyelenggaraan sistem "
        "pertahanan dan keamanan negara serta rencana pengembangannya;",
        "gambar dan data tentang situasi dan keadaan pangkalan dan/atau instalasi militer;",
        "data perkiraan kemampuan militer dan pertahanan negara lain terbatas pada segala tindakan dan/atau "
        "indikasi negara tersebut yang dapat membahayakan kedaulatan Negara Kesatuan Republik Indonesia dan/atau "
        "data terkait kerjasama militer dengan negara lain yang disepakati dalam perjanjian tersebut sebagai "
        "rahasia atau sangat rahasia;",
        "sistem persandian negara; dan/atau",
        "sistem intelijen negara.",
    ]),
    "d": ("Informasi Publik yang apabila dibuka dan diberikan kepada Pemohon Informasi Publik dapat mengungkapkan "
          "kekayaan alam Indonesia;", []),
    "e": ("Informasi Publik yang apabila dibuka dan diberikan kepada Pemohon Informasi Publik, dapat merugikan "
          "ketahanan ekonomi nasional:", [
        "rencana awal pembelian dan penjualan mata uang nasional atau asing, saham dan aset vital milik negara;",
        "rencana awal perubahan nilai tukar, suku bunga, dan model operasi institusi keuangan;",
        "rencana awal perubahan suku bunga bank, pinjaman pemerintah, perubahan pajak, tarif, atau pendapatan "
        "negara/daerah lainnya;",
        "rencana awal penjualan atau pembelian tanah atau properti;",
        "rencana awal investasi asing;",
        "proses dan hasil pengawasan perbankan, asuransi, atau lembaga keuangan lainnya; dan/atau",
        "hal-hal yang berkaitan dengan proses pencetakan uang.",
    ]),
    "f": ("Informasi Publik yang apabila dibuka dan diberikan kepada Pemohon Informasi Publik, dapat merugikan "
          "kepentingan hubungan luar negeri:", [
        "posisi, daya tawar dan strategi yang akan dan telah diambil oleh negara dalam hubungannya dengan "
        "negosiasi internasional;",
        "korespondensi diplomatik antarnegara;",
        "sistem komunikasi dan persandian yang dipergunakan dalam menjalankan hubungan internasional; dan/atau",
        "perlindungan dan pengamanan infrastruktur strategis Indonesia di luar negeri.",
    ]),
    "g": ("Informasi Publik yang apabila dibuka dapat mengungkapkan isi akta otentik yang bersifat pribadi dan "
          "kemauan terakhir ataupun wasiat seseorang;", []),
    "h": ("Informasi Publik yang apabila dibuka dan diberikan kepada Pemohon Informasi Publik dapat mengungkap "
          "rahasia pribadi, yaitu:", [
        "riwayat dan kondisi anggota keluarga;",
        "riwayat, kondisi dan perawatan, pengobatan kesehatan fisik, dan psikis seseorang;",
        "kondisi keuangan, aset, pendapatan, dan rekening bank seseorang;",
        "hasil-hasil evaluasi sehubungan dengan kapabilitas, intelektualitas, dan rekomendasi kemampuan "
        "seseorang; dan/atau",
        "catatan yang menyangkut pribadi seseorang yang berkaitan dengan kegiatan satuan pendidikan formal dan "
        "satuan pendidikan nonformal.",
    ]),
    "i": ("memorandum atau surat-surat antar Badan Publik atau intra Badan Publik, yang menurut sifatnya "
          "dirahasiakan kecuali atas putusan Komisi Informasi atau pengadilan;", []),
    "j": ("informasi yang tidak boleh diungkapkan berdasarkan Undang-Undang.", []),
}

PASAL_35 = [
    ("a", "penolakan atas permintaan informasi berdasarkan alasan pengecualian sebagaimana dimaksud dalam Pasal 17;"),
    ("b", "tidak disediakannya informasi berkala sebagaimana dimaksud dalam Pasal 9;"),
    ("c", "tidak ditanggapinya permintaan informasi;"),
    ("d", "permintaan informasi ditanggapi tidak sebagaimana yang diminta;"),
    ("e", "tidak dipenuhinya permintaan informasi;"),
    ("f", "pengenaan biaya yang tidak wajar; dan/atau"),
    ("g", "penyampaian informasi yang melebihi waktu yang diatur dalam Undang-Undang ini."),
]


def seed(apps, schema_editor):
    ExemptionGround = apps.get_model("information", "ExemptionGround")
    ObjectionGround = apps.get_model("information", "ObjectionGround")
    order = 0
    for letter, (chapeau, points) in PASAL_17.items():
        # Pasal 20(1): the exemptions of huruf a to f are not permanent.
        permanent = letter in "ghij"
        for number, text in enumerate(points, start=1) if points else [(None, None)]:
            order += 1
            code = f"{letter}{number or ''}"
            ExemptionGround.objects.get_or_create(
                code=code,
                defaults={"text": f"{chapeau} {text}" if text else chapeau, "permanent": permanent, "order": order},
            )
    for order, (code, text) in enumerate(PASAL_35, start=1):
        ObjectionGround.objects.get_or_create(code=code, defaults={"text": text, "order": order})


class Migration(migrations.Migration):
    dependencies = [("information", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
