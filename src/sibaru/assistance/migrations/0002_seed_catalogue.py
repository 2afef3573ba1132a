"""The programme catalogue as data, for budget years 2026 and 2027.

Source: shared/reference/housing.md (cited by section below) and domain.md §1. What the reference tags
[M] (from memory) or [S2]/[S-news] (secondary sources), or what it reads in a predecessor regulation only,
is seeded with `unconfirmed=True`: administrators see the flag and can correct every row in the admin.

Texts are Indonesian and marked with gettext_noop, so `makemessages` puts them in the catalogue and the
API and pages can show them in English (`sibaru.assistance.catalogue.translated`). A text an
administrator edits later has no catalogue entry and is shown as written.

Idempotent (get_or_create on natural keys); the reverse deletes the seeded rows by their keys. Region
codes are stored as JSON: this migration does not need the regions to be loaded.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations
from django.utils.translation import gettext_noop as _

YEARS = (2026, 2027)
PDF = ["pdf"]
PDF_OR_IMAGE = ["pdf", "jpg", "png"]

PERMEN_7_2022 = "Permen PUPR 7/2022 (kini Permen PKP 10/2025)"

# housing.md §5.1 (directorate ids 1–4 of the real SIBARU) and §1, Pasal 1 definitions for the descriptions.
PROGRAMMES = [
    {
        "code": "rusun", "prefix": "RSN", "verification": "technical", "order": 1,
        "name": _("Bantuan Rumah Susun"),
        "description": _("Pembangunan rumah susun umum, rumah susun khusus dan rumah susun negara yang dibiayai "
                         "APBN."),
        "legal_basis": PERMEN_7_2022,
    },
    {
        "code": "rusus", "prefix": "RSS", "verification": "technical", "order": 2,
        "name": _("Bantuan Rumah Khusus"),
        "description": _("Penyediaan rumah tunggal atau rumah deret, berupa rumah tapak atau rumah panggung, "
                         "beserta prasarana, sarana dan utilitas umumnya, untuk kebutuhan khusus."),
        "legal_basis": "Permen PUPR 7/2022 Pasal 73–74 (kini Permen PKP 10/2025)",
    },
    {
        "code": "swadaya", "prefix": "RSW", "verification": "technical", "order": 3,
        "name": _("Bantuan Stimulan Perumahan Swadaya (BSPS)"),
        "description": _("Bantuan dana pemerintah bagi masyarakat berpenghasilan rendah untuk meningkatkan "
                         "kualitas rumah swadaya atau membangun rumah baru, secara gotong royong."),
        "legal_basis": PERMEN_7_2022,
    },
    {
        "code": "psu", "prefix": "PSU", "verification": "site", "order": 4,
        "name": _("Bantuan PSU Perumahan"),
        "description": _("Bantuan prasarana, sarana dan utilitas umum (PSU) agar perumahan bagi masyarakat "
                         "berpenghasilan rendah layak huni."),
        "legal_basis": PERMEN_7_2022,
    },
]

# housing.md §5.3: the PSU proposal types of the "form 2022 keatas" (SIBARU types 5–8). Codes name the scale
# and the proposer; the SIBARU number is given in the comment. Thresholds: housing.md §1c, read in
# Permen PUPR 3/2018 [S] only (daya tampung ≥ 100 MBR units, ≥ 50 built); for 7/2022 they are [M], so
# unconfirmed. SIBARU type 6 ("Prakarsa dan Upaya Kelompok MBR") is proposed by the pemda (§1c).
PSU_TYPES = [
    # SIBARU 5
    {"code": "psu_sb_pemda", "proposer_kind": "government", "large_scale": True,
     "name": _("Perumahan skala besar yang terdiri atas lebih dari 1 perumahan (pengusul pemerintah daerah)")},
    # SIBARU 6
    {"code": "psu_nsb_pemda", "proposer_kind": "government", "large_scale": False,
     "name": _("Perumahan selain skala besar: prakarsa dan upaya kelompok MBR (pengusul pemerintah daerah)")},
    # SIBARU 7
    {"code": "psu_sb_developer", "proposer_kind": "developer", "large_scale": True,
     "name": _("Perumahan skala besar yang terdiri atas 1 perumahan umum atau 1 perumahan dengan hunian "
               "berimbang (pengusul pengembang)")},
    # SIBARU 8
    {"code": "psu_nsb_developer", "proposer_kind": "developer", "large_scale": False,
     "name": _("Perumahan selain skala besar (pengusul pengembang atau pelaku pembangunan)")},
]
PSU_DEVELOPER_TYPES = ["psu_sb_developer", "psu_nsb_developer"]
PSU_MIN_CAPACITY = 100
PSU_MIN_BUILT = 50

ALL_PROGRAMMES = ["rusun", "rusus", "swadaya", "psu"]

# housing.md §5.3, in the table's order (SIBARU value in the comment). Directorates 1=rusun, 2=rusus,
# 3=swadaya, 4=psu.
CATEGORIES = [
    # SIBARU 2
    {"code": "presidential_assignment", "directive": True, "priority_score": 7, "programmes": ALL_PROGRAMMES,
     "name": _("Penugasan Presiden")},
    # SIBARU 3. The table leaves its "directorates allowed" empty: every programme is allowed here (§1a and
    # §1b name it among the Rusun and Swadaya categories). An administrator can narrow it.
    {"code": "state_institution", "directive": True, "priority_score": 5, "programmes": ALL_PROGRAMMES,
     "name": _("Pimpinan dan Anggota Lembaga Tinggi Negara")},
    # SIBARU 4
    {"code": "ministry_agency", "directive": True, "priority_score": 4, "programmes": ALL_PROGRAMMES,
     "name": _("Pimpinan Kementerian/Lembaga")},
    # SIBARU 5
    {"code": "education_institution", "directive": False, "priority_score": 2,
     "programmes": ["rusun", "swadaya", "psu"], "name": _("Pimpinan PTN/PTS/Pondok Pesantren/LPKB")},
    # SIBARU 1
    {"code": "regional_head", "directive": False, "priority_score": 3, "programmes": ALL_PROGRAMMES,
     "name": _("Kepala Daerah (Gubernur/Bupati/Wali Kota)")},
    # SIBARU 6
    {"code": "minister_direction", "directive": False, "priority_score": 6, "programmes": ["rusus", "psu"],
     "name": _("Arahan Kebijakan Menteri")},
    # SIBARU 7
    {"code": "public_housing_development", "directive": False, "priority_score": 1, "programmes": ["psu"],
     "name": _("Pengembangan Perumahan Umum")},
]

ADM = "administrative"
TEC = "technical"


def req(code, kind, title, description="", *, legal="", mandatory=True, types=(), accepted=PDF,
        unconfirmed=False):
    return {
        "code": code, "kind": kind, "title": title, "description": description, "legal_basis": legal,
        "mandatory": mandatory, "types": list(types), "accepted_types": list(accepted),
        "unconfirmed": unconfirmed,
    }


def p74(where):
    return f"Permen PUPR 7/2022 Pasal 74 {where}"


# housing.md §1d: Permen PUPR 7/2022 Pasal 74, read [S] up to ayat (6) huruf f, which is cut off mid-word.
RUSUS = [
    req("rusus_surat_usulan", ADM, _("Surat usulan"),
        _("Diajukan oleh pimpinan tertinggi instansi pemohon kepada Menteri."),
        legal=p74("ayat (2) huruf a dan ayat (4)")),
    req("rusus_gambaran_umum", ADM, _("Gambaran umum dan latar belakang pengajuan proposal"),
        legal=p74("ayat (2) huruf b")),
    req("rusus_pernyataan_pemda", ADM,
        _("Surat pernyataan pemerintah daerah provinsi dan/atau pemerintah daerah kabupaten/kota"),
        _("Kementerian/lembaga memperolehnya setelah berkoordinasi dengan pemerintah daerah provinsi dan "
          "kabupaten/kota; pemerintah kabupaten/kota setelah berkoordinasi dengan pemerintah daerah provinsi."),
        legal=p74("ayat (2) huruf c dan ayat (3)")),
    req("rusus_pernyataan_penerima", ADM, _("Surat pernyataan dari calon penerima Penyediaan Rumah Khusus"),
        legal=p74("ayat (2) huruf d")),
    req("rusus_kesesuaian_rtrw", ADM,
        _("Surat keterangan kesesuaian rencana tata ruang wilayah kabupaten/kota"),
        legal=p74("ayat (2) huruf e")),
    req("rusus_sk_penerima", ADM, _("Keputusan penetapan calon penerima manfaat Penyediaan Rumah Khusus"),
        legal=p74("ayat (2) huruf f")),
    req("rusus_bukti_tanah", ADM,
        _("Salinan bukti legalitas kepemilikan hak atas tanah atau bukti penguasaan hak atas tanah oleh "
          "penerima"),
        legal=p74("ayat (2) huruf g")),
    req("rusus_rencana_pengelolaan", ADM, _("Rencana pengelolaan rumah khusus terbangun"),
        legal=p74("ayat (2) huruf h")),
    req("rusus_lokasi_rtrw", TEC, _("Lokasi sesuai dengan rencana tata ruang wilayah"),
        legal=p74("ayat (6) huruf a")),
    req("rusus_bebas_bencana", TEC, _("Lokasi berada di luar kawasan rawan bencana"),
        legal=p74("ayat (6) huruf b")),
    req("rusus_tanah_tidak_sengketa", TEC, _("Status tanah tidak dalam sengketa"),
        legal=p74("ayat (6) huruf c")),
    req("rusus_jalan_akses", TEC, _("Tersedia jalan akses ke lokasi"),
        _("Untuk pembangunan dan pemanfaatan rumah khusus."),
        legal=p74("ayat (6) huruf d")),
    req("rusus_siap_bangun", TEC,
        _("Kondisi tanah siap bangun sehingga tidak memerlukan proses pematangan lahan"),
        legal=p74("ayat (6) huruf e")),
    # Read only up to "luas lahan dapat m…": the rest of the wording is inferred.
    req("rusus_luas_lahan", TEC, _("Luas lahan dapat menampung rencana jumlah unit"),
        legal=p74("ayat (6) huruf f"), unconfirmed=True),
    # The items after huruf f were not read [M].
    req("rusus_utilitas", TEC, _("Tersedia utilitas air minum dan listrik"),
        legal=p74("ayat (6)"), unconfirmed=True),
    req("rusus_kesiapan_psu_pemda", TEC, _("Pemerintah daerah siap menyediakan prasarana, sarana dan utilitas"),
        legal=p74("ayat (6)"), unconfirmed=True),
]

# housing.md §1a: by analogy with Pasal 74 and the practice of the Rusun directorate, all [M].
RUSUN_LEGAL = "Permen PUPR 7/2022"
RUSUN = [
    req("rusun_surat_usulan", ADM, _("Surat usulan"),
        _("Dari pimpinan instansi atau kepala daerah kepada Menteri."), legal=RUSUN_LEGAL, unconfirmed=True),
    req("rusun_proposal", ADM, _("Proposal"),
        _("Latar belakang, kebutuhan hunian dan data calon penghuni."), legal=RUSUN_LEGAL, unconfirmed=True),
    req("rusun_pernyataan_kesanggupan", ADM, _("Surat pernyataan kesanggupan"),
        _("Kesanggupan menerima hibah dan mengelola rumah susun, menyediakan PSU, listrik dan air, serta "
          "menanggung biaya operasional."), legal=RUSUN_LEGAL, unconfirmed=True),
    req("rusun_bukti_tanah", ADM, _("Bukti kepemilikan tanah"), _("Sertifikat atas nama pengusul."),
        legal=RUSUN_LEGAL, unconfirmed=True),
    req("rusun_kesesuaian_tata_ruang", ADM, _("Kesesuaian tata ruang (KKPR)"),
        _("Konfirmasi atau persetujuan kesesuaian kegiatan pemanfaatan ruang."), legal=RUSUN_LEGAL,
        unconfirmed=True),
    req("rusun_dukungan_pemda", ADM, _("Surat dukungan pemerintah daerah"), legal=RUSUN_LEGAL, unconfirmed=True),
    req("rusun_gambar_rencana", ADM, _("DED atau gambar rencana"), _("Jika sudah ada."), legal=RUSUN_LEGAL,
        mandatory=False, unconfirmed=True),
    req("rusun_siap_bangun", TEC, _("Lahan siap bangun"), legal=RUSUN_LEGAL, unconfirmed=True),
    req("rusun_tanah_tidak_sengketa", TEC, _("Tanah tidak dalam sengketa"), legal=RUSUN_LEGAL, unconfirmed=True),
    req("rusun_bebas_bencana", TEC, _("Lokasi bebas banjir dan di luar kawasan rawan bencana"),
        legal=RUSUN_LEGAL, unconfirmed=True),
    req("rusun_luas_lahan", TEC, _("Luas lahan cukup untuk tipe tower yang diusulkan"),
        _("Sebagai gambaran, sekitar 2.500–5.000 m²."), legal=RUSUN_LEGAL, unconfirmed=True),
    req("rusun_akses_utilitas", TEC, _("Tersedia akses jalan, listrik dan air"), legal=RUSUN_LEGAL,
        unconfirmed=True),
    req("rusun_daya_dukung_tanah", TEC, _("Daya dukung tanah memadai"), legal=RUSUN_LEGAL, unconfirmed=True),
]

# housing.md §1b (the location proposal by the Bupati/Wali Kota, [M]; "Jumlah RTLH" is in the SIBARU
# verification list [S]) and §3.1 (the six beneficiary criteria, from news summaries of the regulation:
# [S2]), assessed for the prospective beneficiaries of the proposed locations.
BSPS_LEGAL = "Permen PUPR 7/2022"
BSPS_CRITERIA_LEGAL = "Permen PUPR 7/2022; Permen PUPR 07/PRT/M/2018 Pasal 11"
SWADAYA = [
    req("swadaya_surat_usulan", ADM, _("Surat usulan Bupati/Wali Kota"),
        _("Usulan lokasi BSPS kepada Menteri melalui Direktur Jenderal."), legal=BSPS_LEGAL, unconfirmed=True),
    req("swadaya_jumlah_rtlh", ADM, _("Jumlah RTLH"),
        _("Jumlah rumah tidak layak huni di lokasi yang diusulkan, dari data e-RTLH.")),
    req("swadaya_data_rtlh", ADM, _("Data RTLH by name by address"),
        _("Data calon penerima per nama dan alamat di lokasi yang diusulkan."), legal=BSPS_LEGAL,
        unconfirmed=True),
    req("swadaya_sk_lokasi", ADM, _("SK lokasi atau kawasan prioritas"), legal=BSPS_LEGAL, unconfirmed=True),
    req("swadaya_pernyataan_apbd", ADM, _("Surat pernyataan komitmen dukungan APBD"),
        _("Dukungan pemerintah daerah untuk pendampingan dan penyediaan PSU."), legal=BSPS_LEGAL,
        unconfirmed=True),
    req("swadaya_penerima_berkeluarga", TEC, _("Calon penerima adalah WNI yang sudah berkeluarga"),
        legal=BSPS_CRITERIA_LEGAL, unconfirmed=True),
    req("swadaya_penerima_tanah", TEC,
        _("Calon penerima memiliki atau menguasai tanah atas dasar hak yang sah, tidak dalam sengketa, dan "
          "lokasinya sesuai dengan rencana tata ruang"),
        legal=BSPS_CRITERIA_LEGAL, unconfirmed=True),
    req("swadaya_penerima_rtlh", TEC,
        _("Calon penerima belum memiliki rumah, atau memiliki dan menempati satu-satunya rumah yang tidak "
          "layak huni"),
        legal=BSPS_CRITERIA_LEGAL, unconfirmed=True),
    req("swadaya_penerima_belum_dibantu", TEC,
        _("Calon penerima belum pernah memperoleh BSPS atau bantuan pemerintah untuk program perumahan"),
        legal=BSPS_CRITERIA_LEGAL, unconfirmed=True),
    req("swadaya_penerima_penghasilan", TEC,
        _("Penghasilan calon penerima paling banyak sebesar upah minimum provinsi"),
        _("Upah minimum kabupaten/kota dapat dipakai bila lebih tinggi."),
        legal=BSPS_CRITERIA_LEGAL, unconfirmed=True),
    req("swadaya_penerima_swadaya", TEC,
        _("Calon penerima bersedia berswadaya dan membentuk KPB dengan pernyataan tanggung renteng"),
        legal=BSPS_CRITERIA_LEGAL, unconfirmed=True),
]

# housing.md §1c: the lists of Permen PUPR 3/2018 [S], the predecessor; that 7/2022 keeps them is [M], so
# every PSU requirement is unconfirmed. Permits carry their current names (PBG, KKPR, NIB). Company
# documents apply to the developer types only.
PSU_LEGAL = "Permen PUPR 3/2018 (pendahulu Permen PUPR 7/2022)"
PSU = [
    req("psu_surat_permohonan", ADM, _("Surat permohonan bantuan PSU"), legal=PSU_LEGAL, unconfirmed=True),
    req("psu_pernyataan_pemda", ADM, _("Surat pernyataan pemerintah daerah"), legal=PSU_LEGAL, unconfirmed=True),
    req("psu_pernyataan_pengembang", ADM, _("Surat pernyataan pengembang"), legal=PSU_LEGAL,
        types=PSU_DEVELOPER_TYPES, unconfirmed=True),
    req("psu_kuesioner", ADM, _("Kuesioner"), legal=PSU_LEGAL, unconfirmed=True),
    req("psu_siteplan", ADM, _("Siteplan yang disahkan"), legal=PSU_LEGAL, accepted=PDF_OR_IMAGE,
        unconfirmed=True),
    req("psu_pbg", ADM, _("Persetujuan Bangunan Gedung (PBG)"), _("Dahulu IMB."), legal=PSU_LEGAL,
        unconfirmed=True),
    req("psu_sertifikat_induk", ADM, _("Sertifikat induk"), legal=PSU_LEGAL, unconfirmed=True),
    req("psu_kkpr", ADM, _("Kesesuaian Kegiatan Pemanfaatan Ruang (KKPR)"), _("Dahulu izin lokasi."),
        legal=PSU_LEGAL, unconfirmed=True),
    req("psu_akta_pendirian", ADM, _("Akta pendirian perusahaan"), legal=PSU_LEGAL, types=PSU_DEVELOPER_TYPES,
        unconfirmed=True),
    req("psu_nib", ADM, _("Nomor Induk Berusaha (NIB)"), _("Dahulu SBU/SIUJK dan TDP/SIUP."), legal=PSU_LEGAL,
        types=PSU_DEVELOPER_TYPES, unconfirmed=True),
    req("psu_npwp", ADM, _("NPWP perusahaan"), legal=PSU_LEGAL, types=PSU_DEVELOPER_TYPES, unconfirmed=True),
    req("psu_lahan_psu", TEC, _("Tersedia lahan untuk pembangunan PSU"), legal=PSU_LEGAL, unconfirmed=True),
    req("psu_rumah_layak_huni", TEC,
        _("Rumah terbangun layak huni: paling sedikit berplafon, dinding diplester luar dalam, dan lantai diaci"),
        legal=PSU_LEGAL, unconfirmed=True),
    req("psu_lokasi_rtrw", TEC, _("Lokasi sesuai dengan rencana tata ruang wilayah"), legal=PSU_LEGAL,
        unconfirmed=True),
    req("psu_siteplan_disahkan", TEC, _("Siteplan disahkan pemerintah daerah"), legal=PSU_LEGAL,
        unconfirmed=True),
    req("psu_tanah_tidak_sengketa", TEC, _("Tanah tidak dalam sengketa"), legal=PSU_LEGAL, unconfirmed=True),
    req("psu_daya_tampung", TEC, _("Daya tampung sesuai siteplan memenuhi batas minimal unit rumah MBR"),
        _("Batas minimal per jenis usulan tercantum pada data jenis usulan (100 unit menurut Permen PUPR "
          "3/2018)."), legal=PSU_LEGAL, unconfirmed=True),
    req("psu_rumah_terbangun", TEC, _("Jumlah rumah terbangun saat verifikasi memenuhi batas minimal"),
        _("Batas minimal per jenis usulan tercantum pada data jenis usulan (50 unit menurut Permen PUPR "
          "3/2018)."), legal=PSU_LEGAL, unconfirmed=True),
    req("psu_waktu_terbangun", TEC,
        _("Rumah terbangun paling awal 1 Januari tahun sebelumnya sampai dengan saat verifikasi"),
        legal=PSU_LEGAL, unconfirmed=True),
    req("psu_harga_jual", TEC, _("Harga jual rumah sesuai batasan harga rumah umum"), legal=PSU_LEGAL,
        unconfirmed=True),
    # "Diutamakan": a preference, not a condition.
    req("psu_kpr_bersubsidi", TEC, _("Perumahan dengan KPR bersubsidi"), _("Diutamakan, tidak wajib."),
        legal=PSU_LEGAL, mandatory=False, unconfirmed=True),
]

REQUIREMENT_SETS = {
    "rusun": (RUSUN_LEGAL, RUSUN),
    "rusus": ("Permen PUPR 7/2022 Pasal 74", RUSUS),
    "swadaya": (BSPS_LEGAL, SWADAYA),
    "psu": (PSU_LEGAL, PSU),
}

# housing.md §3.2: Kepmen PUPR 115/KPTS/M/2022 is the last yearly decree read; the decrees for 2026 and
# 2027 were not, so these rows are unconfirmed until an administrator checks them.
UNIT_AMOUNTS = [
    ("regular", Decimal("17500000"), Decimal("2500000")),
    ("papua_flat", Decimal("18500000"), Decimal("5000000")),
    ("papua_remote", Decimal("35000000"), Decimal("5000000")),
]
UNIT_AMOUNT_LEGAL = "Kepmen PUPR 115/KPTS/M/2022 (besaran terakhir yang terbaca)"

# housing.md §4.1: Permen PKP 5/2025, in force from 22 April 2025. Zone 4 unmarried is [M]. A more specific
# code (a regency) wins over its province: Jabodetabek sits in zone 4 while the rest of Jawa Barat and
# Banten is in zone 1. Codes checked in src/sibaru/regions/data/regions.csv.gz.
INCOME_VALID_FROM = date(2025, 4, 22)
INCOME_LEGAL = "Permen PKP 5/2025"
JABODETABEK = [
    "3201",  # Kabupaten Bogor
    "3271",  # Kota Bogor
    "3276",  # Kota Depok
    "3603",  # Kabupaten Tangerang
    "3671",  # Kota Tangerang
    "3674",  # Kota Tangerang Selatan
    "3216",  # Kabupaten Bekasi
    "3275",  # Kota Bekasi
]
INCOME_CEILINGS = [
    {"zone": 1, "name": "Jawa (kecuali Jabodetabek), Sumatera, Nusa Tenggara Timur, Nusa Tenggara Barat",
     # Sumatera 11–18; Jawa 32–36 (Jakarta 31 is zone 4); NTB 52, NTT 53.
     "region_codes": ["11", "12", "13", "14", "15", "16", "17", "18", "32", "33", "34", "35", "36", "52", "53"],
     "unmarried": Decimal("8500000"), "married": Decimal("10000000"), "unconfirmed": False},
    {"zone": 2, "name": "Kalimantan, Sulawesi, Kepulauan Bangka Belitung, Kepulauan Riau, Maluku, Maluku Utara, "
                        "Bali",
     "region_codes": ["19", "21", "51", "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76",
                      "81", "82"],
     "unmarried": Decimal("9000000"), "married": Decimal("11000000"), "unconfirmed": False},
    {"zone": 3, "name": "Papua, Papua Barat, Papua Selatan, Papua Tengah, Papua Pegunungan, Papua Barat Daya",
     "region_codes": ["91", "92", "93", "94", "95", "96"],
     "unmarried": Decimal("10500000"), "married": Decimal("12000000"), "unconfirmed": False},
    # Married Rp14 jt [S, Tempo]; unmarried Rp12 jt [M]: the row is unconfirmed.
    {"zone": 4, "name": "Jakarta, Bogor, Depok, Tangerang, Bekasi",
     "region_codes": ["31", *JABODETABEK],
     "unmarried": Decimal("12000000"), "married": Decimal("14000000"), "unconfirmed": True},
]

# housing.md §5.4: CHECKLIST_RANGKAIAN_PEMROGRAMAN of the real SIBARU, in its order. The code spells item 4
# "RAKORTEKREMBANG"; the event is the Rakortekrenbang. Dates are set by an administrator each year.
CHECKPOINTS = [
    ("rakorbangwil", _("Rakorbangwil")),
    ("konreg", _("Konreg")),
    ("rakortek", _("Rakortek")),
    ("rakortekrenbang", _("Rakortekrenbang")),
    ("musrenbangnas", _("Musrenbangnas")),
    ("sb_pagu_indikatif", _("SB Pagu Indikatif")),
    ("sb_pagu_anggaran", _("SB Pagu Anggaran")),
    ("trilateral_meeting_1", _("Trilateral Meeting I")),
    ("rakortek_2", _("Rakortek II")),
    ("sb_alokasi_anggaran", _("SB Alokasi Anggaran")),
    ("trilateral_meeting_2", _("Trilateral Meeting II")),
]

# The visible criteria of the prioritisation score (sibaru.assistance.scoring). The real SIBARU has a
# score (skorTematik, totalSkor) whose formula is not public; these are ours, and their weights are data.
CRITERIA = [
    {"code": "category", "weight": Decimal("1.00"), "name": _("Kategori pengusul"),
     "description": _("Nilai prioritas kategori pengusul (1 sampai 7) sebagaimana tercantum pada data kategori "
                      "pengusul, dikalikan bobot.")},
    {"code": "readiness", "weight": Decimal("1.00"), "name": _("Kesiapan teknis"),
     "description": _("Bagian kriteria kesiapan teknis yang berlaku dan dinyatakan terpenuhi oleh pengusul, pada "
                      "skala 0 sampai 10, dikalikan bobot.")},
    {"code": "documents", "weight": Decimal("0.50"), "name": _("Dokumen pendukung"),
     "description": _("Bagian dokumen tidak wajib yang berlaku dan sudah diunggah, pada skala 0 sampai 10, "
                      "dikalikan bobot. Tidak dihitung bila program tidak memiliki dokumen tidak wajib.")},
    {"code": "rtlh", "weight": Decimal("1.00"), "name": _("Kebutuhan RTLH"),
     "description": _("Khusus BSPS: jumlah rumah tidak layak huni di lokasi sasaran dibagi jumlah unit yang "
                      "diusulkan (PK dan PB), paling tinggi 10, dikalikan bobot.")},
]


def seed(apps, schema_editor):
    Programme = apps.get_model("assistance", "Programme")
    ProgrammeType = apps.get_model("assistance", "ProgrammeType")
    ProposerCategory = apps.get_model("assistance", "ProposerCategory")
    RequirementSet = apps.get_model("assistance", "RequirementSet")
    Requirement = apps.get_model("assistance", "Requirement")
    UnitAmount = apps.get_model("assistance", "UnitAmount")
    IncomeCeiling = apps.get_model("assistance", "IncomeCeiling")
    PlanningCheckpoint = apps.get_model("assistance", "PlanningCheckpoint")
    PriorityCriterion = apps.get_model("assistance", "PriorityCriterion")

    programmes = {}
    for row in PROGRAMMES:
        row = dict(row)
        code = row.pop("code")
        programmes[code], _created = Programme.objects.get_or_create(code=code, defaults=row)

    for row in PSU_TYPES:
        row = dict(row)
        ProgrammeType.objects.get_or_create(
            programme=programmes["psu"], code=row.pop("code"),
            defaults={**row, "min_capacity": PSU_MIN_CAPACITY, "min_built": PSU_MIN_BUILT, "unconfirmed": True},
        )

    for order, row in enumerate(CATEGORIES, start=1):
        row = dict(row)
        allowed = row.pop("programmes")
        category, _created = ProposerCategory.objects.get_or_create(
            code=row.pop("code"), defaults={**row, "order": order}
        )
        category.programmes.add(*(programmes[code] for code in allowed))

    for code, (legal_basis, requirements) in REQUIREMENT_SETS.items():
        for year in YEARS:
            requirement_set, _created = RequirementSet.objects.get_or_create(
                programme=programmes[code], budget_year=year,
                defaults={"legal_basis": legal_basis, "published": True},
            )
            for order, row in enumerate(requirements, start=1):
                row = dict(row)
                Requirement.objects.get_or_create(
                    requirement_set=requirement_set, code=row.pop("code"), defaults={**row, "order": order}
                )

    for year in YEARS:
        for region_class, materials, labour in UNIT_AMOUNTS:
            UnitAmount.objects.get_or_create(
                programme=programmes["swadaya"], budget_year=year, region_class=region_class, activity="",
                defaults={"materials": materials, "labour": labour, "legal_basis": UNIT_AMOUNT_LEGAL,
                          "unconfirmed": True},
            )

    for row in INCOME_CEILINGS:
        row = dict(row)
        IncomeCeiling.objects.get_or_create(
            zone=row.pop("zone"), valid_from=INCOME_VALID_FROM, legal_basis=INCOME_LEGAL, defaults=row
        )

    for year in YEARS:
        for order, (code, name) in enumerate(CHECKPOINTS, start=1):
            PlanningCheckpoint.objects.get_or_create(
                budget_year=year, code=code, defaults={"name": name, "order": order}
            )

    for row in CRITERIA:
        row = dict(row)
        PriorityCriterion.objects.get_or_create(code=row.pop("code"), defaults=row)


def unseed(apps, schema_editor):
    Programme = apps.get_model("assistance", "Programme")
    ProgrammeType = apps.get_model("assistance", "ProgrammeType")
    ProposerCategory = apps.get_model("assistance", "ProposerCategory")
    RequirementSet = apps.get_model("assistance", "RequirementSet")
    Requirement = apps.get_model("assistance", "Requirement")
    UnitAmount = apps.get_model("assistance", "UnitAmount")
    IncomeCeiling = apps.get_model("assistance", "IncomeCeiling")
    PlanningCheckpoint = apps.get_model("assistance", "PlanningCheckpoint")
    PriorityCriterion = apps.get_model("assistance", "PriorityCriterion")

    PriorityCriterion.objects.filter(code__in=[row["code"] for row in CRITERIA]).delete()
    PlanningCheckpoint.objects.filter(budget_year__in=YEARS, code__in=[code for code, _name in CHECKPOINTS]).delete()
    IncomeCeiling.objects.filter(
        zone__in=[row["zone"] for row in INCOME_CEILINGS], valid_from=INCOME_VALID_FROM, legal_basis=INCOME_LEGAL
    ).delete()
    UnitAmount.objects.filter(
        programme__code="swadaya", budget_year__in=YEARS, activity="",
        region_class__in=[region_class for region_class, _m, _l in UNIT_AMOUNTS],
    ).delete()
    for code, (_legal, requirements) in REQUIREMENT_SETS.items():
        sets = RequirementSet.objects.filter(programme__code=code, budget_year__in=YEARS)
        Requirement.objects.filter(requirement_set__in=sets, code__in=[r["code"] for r in requirements]).delete()
        # A set an administrator has added requirements to stays.
        sets.filter(requirements__isnull=True).delete()
    ProposerCategory.objects.filter(code__in=[row["code"] for row in CATEGORIES]).delete()
    ProgrammeType.objects.filter(programme__code="psu", code__in=[row["code"] for row in PSU_TYPES]).delete()
    # PROTECT on proposals and requirement sets stops this if anything still uses a programme.
    Programme.objects.filter(code__in=[row["code"] for row in PROGRAMMES]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("assistance", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
