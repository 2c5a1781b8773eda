"""Every extraction hazard of the seed documents (shared/reference/cleanup_hazards.md), cleaned.

Line numbers are 1-based physical lines of the seed files; the expected sentences are the
"Cleaned" results quoted in cleanup_hazards.md.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from workbench.core.cleanup import clean
from workbench.core.decode import read_source
from workbench.core.segment import SegmentedDocument, segment_file

REPO = Path(__file__).resolve().parents[2]
SOURCES = REPO / "sources"
GOLD = Path(__file__).resolve().parents[3] / "shared/reference/gold_segments_003_lines1-122.txt"
BLUEBOOK = SOURCES / "diplomatic-bluebook-2025-russia-central-asia-caucasus.ja.txt"
AZERBAIJAN = SOURCES / "azerbaijan-russia-relations.ja.txt"
KAZAKHSTAN = SOURCES / "kazakhstan-foreign-policy.ja.txt"
VIETNAM = SOURCES / "vietnam-azerbaijan-strategic-partnership.ja.txt"
ALL_SOURCES = [AZERBAIJAN, KAZAKHSTAN, VIETNAM, BLUEBOOK]


@pytest.fixture(scope="module")
def bluebook() -> SegmentedDocument:
    return segment_file(BLUEBOOK)


def sources(doc: SegmentedDocument) -> list[str]:
    return [s.source for s in doc.segments]


def deleted(doc: SegmentedDocument, reason: str) -> dict[int, str]:
    return {d.line: d.text for d in doc.deletions if d.reason == reason}


def test_gold_segments_for_lines_1_to_122(bluebook: SegmentedDocument) -> None:
    if not GOLD.exists():
        pytest.skip(f"gold file not found: {GOLD} (../shared is absent from this checkout)")
    expected = GOLD.read_text(encoding="utf-8").splitlines()
    got = [s.source for s in bluebook.segments if s.line_end <= 122]
    assert got == expected


def test_bluebook_is_detected_as_a_page_extract_and_the_others_as_plain() -> None:
    layouts = {p.name: segment_file(p).layout for p in ALL_SOURCES}
    assert layouts == {AZERBAIJAN.name: "plain", KAZAKHSTAN.name: "plain", VIETNAM.name: "plain",
                       BLUEBOOK.name: "pdf"}


# --- H1 ruby ------------------------------------------------------------------------------


@pytest.mark.parametrize("sentence", [
    "また、中国も中央アジアへの関与を年々深める中、首脳・閣僚級の往来を着実に積み上げており、"
    "12月には中国四川省成都市において第5回「中国・中央アジア」外相会合が開催された。",
    "安全保障に係る問題では、9月にロシア軍哨戒機が北海道礼文島北方の日本の領海の上空において3度に"
    "わたり領空侵犯したことを受け、ロシア政府に極めて厳重に抗議を行うとともに、原因究明と再発防止を"
    "求めてきている。",
    "2023年には、上海協力機構（SCO）首脳会合（7月）、独立国家共同体（CIS）首脳会合（10月）、"
    "テュルク諸国機構（11月）、集団安全保障条約機構（CSTO）首脳会合（11月）、ユーラシア経済同盟"
    "（EAEU）首脳会合（12月）など、中央アジア諸国の首脳が出席する会合が多数行われた。",
    "アゼルバイジャンとの関係では、2月にラフィエフ外務次官が訪日し柘植芳文外務副大臣と会談を行い、"
    "国連気候変動枠組条約第29回締約国会議（COP29）（11月、アゼルバイジャン・バクー）の成功に"
    "向けて、両国が連携していくことで一致した。",
])
def test_h1_ruby_lines_are_removed_from_names_and_words(bluebook: SegmentedDocument,
                                                        sentence: str) -> None:
    assert sentence in sources(bluebook)


def test_h1_exactly_the_ruby_lines_are_deleted_never_a_one_kanji_base_line(
        bluebook: SegmentedDocument) -> None:
    assert deleted(bluebook, "ruby") == {
        21: "や", 65: "し", 67: "せん", 142: "や", 235: "う", 281: "しょう", 284: "れ",
        434: "けん", 610: "り", 631: "シャンハイ", 679: "つ げ",
    }
    all_deleted = {d.line for d in bluebook.deletions}
    assert not all_deleted & {66, 68, 280}  # 川, 省, 哨 are base text
    text = "".join(sources(bluebook))
    for word in ("止むこと", "止めさせるため", "迂回輸入", "牽制する動き", "国際場裡における"):
        assert word in text


# --- H2 hard wraps inside words ---------------------------------------------------------


@pytest.mark.parametrize("sentence", [
    "2024年も、G7・欧州連合（EU）諸国を中心に、引き続き厳しい対露制裁、強力なウクライナ支援が"
    "続けられたが、ロシアによるウクライナ侵略（ロシア側は「特別軍事作戦」と呼称）という暴挙が止む"
    "ことはなかった。",
    "さらに、6月に着任したばかりのルィジェンコフ外相が、7月には中国や北朝鮮を相次いで訪問するなど、"
    "ロシアと近い国々との関係を強化する動きも見られた。",
    "ジョージアでは、議会選挙における不正疑惑に加え、11月末にジョージア政府がEU加盟プロセスを2028年"
    "末まで開始しないと発表したことを受け、EU加盟を支持する市民などが大規模な抗議活動を実施して、"
    "治安部隊と衝突し、多くの逮捕者や負傷者が発生する事態となった。",
])
def test_h2_words_split_by_a_wrap_are_joined_without_a_space(bluebook: SegmentedDocument,
                                                             sentence: str) -> None:
    assert sentence in sources(bluebook)


def test_h2_split_names_are_whole(bluebook: SegmentedDocument) -> None:
    text = "\n".join(sources(bluebook))
    for name in ("サイードフ", "ラフィエフ", "ヌルベク", "イブラエフ", "プーチン大統領の支持率",
                 "5月、プーチン大統領", "北朝鮮など", "対ベラルーシ制裁", "ロシア中央銀行",
                 "米国は民主的", "「ジョージアの夢」", "湾岸協力理事会", "「サハリン1」"):
        assert name in text, name


# --- H3 blank lines inside sentences ----------------------------------------------------


@pytest.mark.parametrize("sentence", [
    "ベラルーシについては、ロシア及びベラルーシ双方が、ロシアの戦術核兵器のベラルーシへの配備に言及"
    "するなど、ロシア支援の姿勢を維持している。",
    "中央アジア・コーカサス諸国については、地政学的及び経済的にロシアと密接な関係にある中で、ロシアに"
    "よるウクライナ侵略に対し、中立的な立場を維持する姿勢を示している（ウクライナ支持を表明している"
    "ジョージアを除く。）。",
    "3月、大統領選挙の数日後、モスクワ州商業施設内のコンサート・ホールにおいて、銃の乱射、爆発を伴う"
    "襲撃事件が発生し、140人以上が死亡する中、ロシア政府は当初ウクライナの関与を主張した。",
])
def test_h3_blank_lines_do_not_break_sentences(bluebook: SegmentedDocument, sentence: str) -> None:
    assert sentence in sources(bluebook)


# --- H4 running head and foot -----------------------------------------------------------


def test_h4_page_furniture_is_removed_and_recorded(bluebook: SegmentedDocument) -> None:
    sentence = ("軍事面では、日本周辺における中露両軍による共同航行（7月、10月）及び爆撃機の"
                "共同飛行（11月）の継続に加え、軍事演習への相互参加（9月）が確認されるなど、"
                "軍事連携の頻度が増加している。")
    assert sentence in sources(bluebook)
    assert deleted(bluebook, "page-furniture") == {
        167: "第2章\u3000地域別に見た外交", 169: "DIPLOMATIC BLUEBOOK 2025140"}
    text = "".join(sources(bluebook))
    assert "DIPLOMATIC" not in text and "地域別に見た外交" not in text
    segment = next(s for s in bluebook.segments if s.source == sentence)
    assert (segment.line_start, segment.line_end) == (162, 173)
    assert all(s.kind != "heading" or "地域別" not in s.source for s in bluebook.segments)


# --- H5 footnote reference markers ------------------------------------------------------


@pytest.mark.parametrize("sentence", [
    "特に、通算5期目就任直後のプーチン大統領の中国訪問、約24年ぶりの北朝鮮訪問、議長国として開催した"
    "10月のロシアにおけるBRICS首脳会合などが特筆される。",
    "コーカサス地域では、アゼルバイジャン・アルメニア間で、2023年9月のナゴルノ・カラバフをめぐる"
    "軍事活動以降も和平交渉及び国境画定交渉が断続的に行われ、一部国境画定が合意されるなど、前向きな"
    "動きは見られるものの、いまだ和平条約締結には至っていない。",
    "一方、北方四島周辺水域操業枠組協定については、2023年1月、ロシア側から、ウクライナ情勢に関連した"
    "日本の対露政策を理由に、同協定に基づく政府間協議の実施時期を調整することはできないとの通知があり、"
    "日本政府として抗議を行うとともに、同協定の下での操業を実施できるようロシア側へ働きかけを続けて"
    "いる。",
    "北方領土問題は戦後79年を経過した今も未解決のままとなっており、日本政府として、北方四島の帰属の"
    "問題を解決して平和条約を締結するとの方針の下、これまで粘り強く交渉を進めてきた。",
])
def test_h5_glued_markers_are_removed(bluebook: SegmentedDocument, sentence: str) -> None:
    assert sentence in sources(bluebook)


def test_h5_every_marker_is_recorded_and_real_parentheses_stay(
        bluebook: SegmentedDocument) -> None:
    assert deleted(bluebook, "footnote-marker") == {
        38: "(1)", 74: "(2)", 272: "(3)", 320: "(4)", 342: "(5)", 632: "(6)", 634: "(7)",
        636: "(8)", 637: "(9)"}
    text = "\n".join(sources(bluebook))
    assert all(f"({n})" not in text for n in range(1, 10))
    assert "（UAE）" in text and "（7月）" in text and "（1）ロシア情勢" in text


# --- H6 footnote bodies -----------------------------------------------------------------


def test_h6_footnotes_at_the_top_stay_before_the_body(bluebook: SegmentedDocument) -> None:
    head = bluebook.segments[:8]
    assert [s.kind for s in head] == ["heading"] + ["footnote"] * 6 + ["text"]
    assert head[1].source == "BRICS：ブラジル、ロシア、インド、中国及び南アフリカを指す用語。"
    assert head[5].source.startswith("ナゴルノ・カラバフ紛争：")
    assert head[7].source.startswith("2024年も、G7・欧州連合（EU）")


def test_h6_footnotes_that_interrupt_a_sentence_follow_that_sentence(
        bluebook: SegmentedDocument) -> None:
    texts = sources(bluebook)
    body = ("北方領土は日本が主権を有する島々であり、日本固有の領土であるが、現在ロシアに"
            "不法占拠されている。")
    notes = [
        "北方四島周辺水域における日本漁船の操業に関する協定",
        "北方領土問題に関する日本政府の立場については外務省ホームページ参照："
        "https://www.mofa.go.jp/mofaj/area/hoppo/hoppo.html",
        "北方墓参、自由訪問、四島交流訪問・受入れ（患者受入れ、専門家交流含む。）を指す。",
    ]
    at = texts.index(body)
    assert texts[at + 1:at + 4] == notes
    assert [s.kind for s in bluebook.segments[at + 1:at + 4]] == ["footnote"] * 3
    assert texts[at + 4].startswith("北方領土問題は戦後79年")
    url_note = bluebook.segments[at + 2]
    assert (url_note.line_start, url_note.line_end) == (311, 313)

    body = ("コーカサス地域は、アジア、欧州、中東をつなぐゲートウェイ（玄関口）としての潜在性と"
            "国際社会の平和・安定に直結する地政学的重要性を有している。")
    at = texts.index(body)
    assert texts[at + 1:at + 5] == [
        "SCO：Shanghai Cooperation Organization", "CIS：Commonwealth of Independent States",
        "CSTO：Collective Security Treaty Organization", "EAEU：Eurasian Economic Union"]
    assert texts[at + 5].startswith("一方、ジョージアでは南オセチア")


def test_h6_footnote_labels_are_recorded(bluebook: SegmentedDocument) -> None:
    assert deleted(bluebook, "footnote-label") == {
        4: "(1)", 11: "(2)", 310: "(3)", 311: "(4)", 314: "(5)", 646: "(6)", 647: "(7)",
        648: "(8)", 649: "(9)"}


# --- H7 headings and enumerators --------------------------------------------------------


def test_h7_headings_are_their_own_segments(bluebook: SegmentedDocument) -> None:
    headings = [(s.line_start, s.source) for s in bluebook.segments if s.kind == "heading"]
    assert headings == [
        (2, "1 概観"), (86, "2 ロシア・ベラルーシ"), (88, "（1）ロシア情勢"), (89, "ア ロシア内政"),
        (139, "イ ロシア外政"), (215, "ウ ロシア経済"), (250, "（2）日露関係"), (251, "ア 総論"),
        (305, "イ 北方領土問題と平和条約締結交渉"), (359, "ウ 日露経済関係"),
        (413, "（3）ベラルーシ情勢"), (452, "3 中央アジア・コーカサス諸国"), (454, "（1）総論"),
        (543, "（2）中央アジア諸国"), (643, "（3）コーカサス諸国"),
    ]
    texts = sources(bluebook)
    at = texts.index("3 中央アジア・コーカサス諸国")
    assert texts[at - 1].endswith("1994年に就任したルカシェンコ大統領が7選目を果たした。")


def test_h7_orphan_enumerator_is_deleted_but_inline_enumerators_stay(
        bluebook: SegmentedDocument) -> None:
    assert deleted(bluebook, "orphan-enumerator") == {358: "（4）"}
    assert deleted(bluebook, "heading-number") == {2: "1", 86: "2", 452: "3"}
    assert any("2018年に（ア）国造りを担う人造り支援（人材育成）及び（イ）魅力あるコーカサス造り"
               in s for s in sources(bluebook))


# --- H8 chart, captions -----------------------------------------------------------------


def test_h8_chart_residue_is_dropped_and_recorded(bluebook: SegmentedDocument) -> None:
    chart = deleted(bluebook, "chart")
    raw = BLUEBOOK.read_text(encoding="utf-8").split("\n")
    expected = {n: raw[n - 1] for n in range(487, 534) if raw[n - 1].strip()}
    assert chart == expected
    assert all(not (487 <= s.line_start <= 533) for s in bluebook.segments)
    assert ("また、現下の国際情勢を踏まえ、ロシアを経由せずコーカサス地域経由で中央アジアと欧州を"
            "結ぶ輸送路である「カスピ海ルート」の重要性について、中央アジア・コーカサス諸国及び"
            "欧米各国の注目が高まっている。") in sources(bluebook)


def test_h8_caption_and_credit_follow_the_sentence_they_interrupt(
        bluebook: SegmentedDocument) -> None:
    texts = sources(bluebook)
    body = ("キルギスとの関係では、6月に辻󠄀外務副大臣が同国を訪問し、ジャパロフ大統領を表敬し、"
            "関係者との間で高度人材を含む人材の送り出し・受入れ、クリーンエネルギー、物流、交通"
            "インフラなどの分野における協力に関する意見交換を行った。")
    at = texts.index(body)
    after = bluebook.segments[at + 1:at + 3]
    assert [(s.kind, s.source, s.line_start) for s in after] == [
        ("caption", "「中央アジア＋日本」対話20周年記念イラスト ©森薫", 596),
        ("caption", "日・ウズベキスタン外相会談（3月8日、東京）", 598),
    ]
    assert texts[at + 3].startswith("また、9月に訪日したイブラエフ・エネルギー相")


# --- H9 stray spaces, end of file -------------------------------------------------------


def test_h9_no_segment_has_stray_whitespace(bluebook: SegmentedDocument) -> None:
    for s in bluebook.segments:
        assert s.source == s.source.strip(), s
        assert "\t" not in s.source
    assert bluebook.segments[-1].source.endswith("外務報道官談話を発表した。")
    assert bluebook.segments[-1].line_end == 717  # l.718 is a lone space, no final newline
    text = "".join(sources(bluebook))
    for joined in ("両国の様々な分野における", "ロシアによるウクライナ侵略以降も",
                   "意見交換を行った。"):
        assert joined in text


# --- H10 full stops inside parentheses --------------------------------------------------


@pytest.mark.parametrize("sentence", [
    "なお、2023年8月の首脳会合では、アルゼンチン、エジプト、エチオピア、イラン、サウジアラビア、"
    "アラブ首長国連邦（UAE）の新規加盟招待を発表した（アルゼンチンはその後の政権交代により加盟申請を"
    "取り下げたほか、サウジアラビアは未加盟との情報もある。）。",
    "2024年も、「特別軍事作戦」（以下「作戦」という。）に焦点を当てた内政が展開された。",
    "北方墓参、自由訪問、四島交流訪問・受入れ（患者受入れ、専門家交流含む。）を指す。",
])
def test_h10_full_stop_inside_parentheses_does_not_split(bluebook: SegmentedDocument,
                                                         sentence: str) -> None:
    assert sentence in sources(bluebook)


# --- H11 characters ---------------------------------------------------------------------


def test_h11_variation_selector_is_kept(bluebook: SegmentedDocument) -> None:
    tsuji = "辻\U000e0100"
    raw = BLUEBOOK.read_text(encoding="utf-8")
    assert raw.count(tsuji) == 5
    assert "".join(sources(bluebook)).count(tsuji) == 5
    assert any("6月には辻󠄀清人外務副大臣" in s for s in sources(bluebook))


# --- plain documents --------------------------------------------------------------------


def test_plain_placeholders_are_dropped_and_recorded() -> None:
    azerbaijan = segment_file(AZERBAIJAN)
    assert {(d.line, d.text, d.reason) for d in azerbaijan.deletions} == {
        (55, 'image"', "placeholder"), (62, "image", "placeholder")}
    kazakhstan = segment_file(KAZAKHSTAN)
    assert {d.line for d in kazakhstan.deletions} == {15, 21, 31, 37, 51, 61}
    assert all(d.text == "Image" and d.reason == "placeholder" for d in kazakhstan.deletions)
    assert "ウラジーミル・プーチン、" in sources(azerbaijan)  # the NBSP-indented caption stays


def test_plain_lines_are_paragraphs_and_full_stop_space_splits_cleanly() -> None:
    kazakhstan = segment_file(KAZAKHSTAN)
    texts = sources(kazakhstan)
    first = "現段階のカザフスタンの外交政策は、その地理的および地政学的な地位によって決定されます。"
    assert texts[texts.index(first) + 1].startswith("中国とロシアに隣接し、")
    assert any(s.startswith("ナザルバエフN. A.大統領は、カザフスタンの外交政策は") for s in texts)
    assert "非常に重要なのは、ナザバエフN.A.大統領のイニシアチブです。" in texts
    assert "相互協力とアジアへの信頼のための措置に関する理事会について国連で表明した。" in texts
    # a paragraph never spans a blank line: every segment sits on one source line
    assert all(s.line_start == s.line_end for s in kazakhstan.segments)


def test_plain_reference_wrapped_behind_a_no_break_space_is_one_line() -> None:
    texts = sources(segment_file(AZERBAIJAN))
    assert "ISBN 978-0-89774-940-4。" in texts
    toc = "1.1 先史時代 1.2 独立後 1.3 ロシアの武器は2008年にアルメニアに移転 1.4 内訳と更新"
    assert toc in texts


def test_plain_credit_and_source_lines_are_captions() -> None:
    vietnam = segment_file(VIETNAM)
    first = vietnam.segments[:2]
    assert [(s.kind, s.source) for s in first] == [
        ("text", "ト・ラム事務総長とアゼルバイジャンのイルハム・アリエフ大統領は、会談の結果を"
                 "発表する共同記者会見を行った。"),
        ("caption", "写真:トン・ニャット/VNA"),
    ]
    assert vietnam.segments[-1].kind == "caption"
    assert vietnam.segments[-1].source.startswith("出典: https://huengaynay.vn/")
    headings = [s.source for s in vietnam.segments if s.kind == "heading"]
    assert "外交政治関係について" in headings and "多国間フォーラムにおける協力について" in headings


# --- nothing disappears silently --------------------------------------------------------


@pytest.mark.parametrize("path", ALL_SOURCES, ids=lambda p: p.name.split(".")[0])
def test_every_removed_character_is_a_recorded_deletion(path: Path) -> None:
    raw = read_source(path).text
    cleaned = clean(raw)
    kept = Counter("".join(u.text for u in cleaned.units))
    removed = Counter("".join(d.text for d in cleaned.deletions))
    original = Counter(raw)
    for counter in (kept, removed, original):
        for ch in [c for c in counter if c.isspace()]:
            del counter[ch]
    assert kept + removed == original
