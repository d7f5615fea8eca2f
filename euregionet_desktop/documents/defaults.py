"""The default Word templates: five kinds of document in Polish, German and side by side.

The files in resources/templates/ are built by this module (``scripts/build_templates.py``
writes them), so their fixed text comes from the gettext catalogs and a rebuild gives the
same bytes when neither this code nor a catalog changed. Every placeholder is a name of
``schema.SCHEMAS[kind]``; the tags are docxtpl's (``{%tr`` rows, ``{%p`` paragraphs).

The look they share is documents/template_builder.py, on the python-docx helpers of
documents/docx_build.py; a rebuild is needed after changing either.
"""

from __future__ import annotations

from collections.abc import Callable

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from euregionet_desktop.documents.docx_build import (
    PPR,
    TBLPR,
    TCPR,
    borders,
    fld_char,
    instr_text,
    margins,
    update_fields_on_open,
)
from euregionet_desktop.documents.schema import DOCUMENT_LANGUAGES, KINDS
from euregionet_desktop.documents.template_builder import (
    LABEL_FILL,
    MUTED,
    SIGNATURE,
    Builder,
)
from euregionet_desktop.errors import TemplateError
from euregionet_desktop.i18n import N_, _
from euregionet_desktop.package_data import data_path

TEMPLATES_DIR = data_path("resources", "templates")

# --- Fixed text (English source; the catalogs give Polish and German) -------------------
NO = N_("No.")
NAME = N_("Name")
ORGANISATION = N_("Organisation")
FUNCTION = N_("Function")
CLUSTER = N_("Cluster")
COORDINATOR = N_("Cluster coordinator")
STATUS = N_("Status")
DATE = N_("Date")
PLACE = N_("Place")
ADVISOR = N_("Advisor")
RESPONSIBLE = N_("Responsible")
COUNTRY = N_("Country")
ROLE = N_("Role")
SIGNATURES = N_("Signatures")
FOR_THE_CLUSTER = N_("For the cluster")
TOTAL_COST = N_("Total cost")
AVERAGE = N_("Average")
CONTACT_PERSONS = N_("Contact persons")
DURATION = N_("Duration")
BASELINE = N_("Baseline")
RESPONSIBLE_AND_PARTNERS = N_("Responsible and partners")
ANNEX_MEMBERS = N_("Annex: member organisations")
TAX_ID = N_("NIP / VAT ID")
PREPARED_BY = N_("Prepared by")

# The attendance list: rows high enough to sign in, and blank ones for walk-ins.
_SIGNATURE_ROW_CM = 1.2
_WALK_IN_ROWS = 5
# The score column of the evaluation holds "Bewertung" unbroken.
_SCORE_CM = 2.3


def template_file_name(kind: str, language: str) -> str:
    """The file name of a default template: ``action-plan.pl+de.docx``."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of document: {kind!r}")
    if language not in DOCUMENT_LANGUAGES:
        raise ValueError(f"unknown document language: {language!r}")
    return f"{kind}.{language}.docx"


def default_template(kind: str, language: str) -> bytes:
    """The shipped default template of a kind of document in a language."""
    path = TEMPLATES_DIR / template_file_name(kind, language)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise TemplateError(
            _("The default template {name} is missing; reinstall EuRegioNet Desktop.").format(
                name=path.name)) from None


def build_template(kind: str, language: str) -> bytes:
    """The default template built from this module's description, byte for byte the same
    on every build."""
    template_file_name(kind, language)
    builder = Builder(kind, language)
    _CONTENTS[kind](builder)
    return builder.save()


# A cluster's name as registered, the other language's name in brackets where it has one.
_NAME_WITH_OTHER = ("{{{{ {c}.official_name }}}}"
                    "{{% if {c}.other_name %}} ({{{{ {c}.other_name }}}}){{% endif %}}")


# --- The five kinds -----------------------------------------------------------------------

def _action_plan(b: Builder) -> None:
    b.title(b.values("action_plan.title")[:1])
    if b.both:  # the German title under the Polish one, where there is one
        b.tag("{%p if action_plan.title_de %}")
        b.para("{{ action_plan.title_de }}", style="Subtitle", second=True)
        b.tag("{%p endif %}")
    b.facts([
        (CLUSTER, [_NAME_WITH_OTHER.format(c="cluster")]),
        (COORDINATOR, ["{{ coordinator.name }}"]),
        (STATUS, b.values("action_plan.status")),
        (DURATION, ["{{ action_plan.duration }}"]),
        (N_("Signed on"), ["{{ action_plan.signed_on }}"]),
    ])

    b.text_section(N_("Objectives"), "action_plan.objectives", per_language=True)
    condition = ("action_plan.baseline_pl or action_plan.baseline_de" if b.both
                 else "action_plan.baseline")
    b.tag(f"{{%p if {condition} %}}")
    b.text_section(BASELINE, "action_plan.baseline", per_language=True)
    b.tag("{%p endif %}")

    b.heading(N_("Measures"))
    # Wide enough for a date and an amount unbroken (in a font wider than Calibri), and
    # for the German compounds of a measure's title and its responsible ("Mentoringprogramm",
    # "Clustermanagement"): the status goes under the period, not in a narrow column.
    widths = [1.0, 4.0, 3.4, 2.4, 2.9]
    widths.append(b.width - sum(widths))
    table = b.table(widths)
    b.header_row(table, [NO, N_("Measure"), RESPONSIBLE_AND_PARTNERS, N_("Period and status"),
                         N_("Cost"), N_("Indicator and target value")], centred=[0])
    b.loop_row(table, "{%tr for m in measures %}")
    cells = b.row(table).cells
    b.cell(cells[0], ["{{ m.number }}"], align=WD_ALIGN_PARAGRAPH.CENTER)
    b.cell(cells[1], b.values("m.title")[:1], bold=True)
    # A side (or a description that only repeated the title) not there takes no line.
    lines = [("m.title_de", True, True)] if b.both else []
    lines += ([("m.description_pl", False, False), ("m.description_de", False, True)]
              if b.both else [("m.description", False, False)])
    for name, bold, second in lines:
        b.tag(f"{{%p if {name} %}}", container=cells[1])
        b.para(f"{{{{ {name} }}}}", container=cells[1], style="Table Text", bold=bold,
               second=second)
        b.tag("{%p endif %}", container=cells[1])
    b.cell(cells[2], ["{{ m.responsible }}"])
    b.add_to_cell(cells[2], "{{ m.partners }}")
    # "01.06.2026 –" and the end under it: a date never breaks, the dash stays with it.
    b.cell(cells[3], ["{{ m.starts_on }}{% if m.ends_on %}\u00a0–{% endif %}"])
    b.add_to_cell(cells[3], "{{ m.ends_on }}")
    for index, status in enumerate(b.values("m.status")):
        b.add_to_cell(cells[3], status, size=7.5, second=index == 1)
    b.cell(cells[4], ["{{ m.cost }}"], align=WD_ALIGN_PARAGRAPH.RIGHT)
    b.add_to_cell(cells[4], "{{ m.funding_source }}", size=7.5,
                  align=WD_ALIGN_PARAGRAPH.RIGHT)
    b.cell(cells[5], ["{{ m.indicator }}"])
    b.add_to_cell(cells[5], "{{ m.target }}", bold=True)
    b.loop_row(table, "{%tr endfor %}")
    total = b.row(table).cells
    label = total[0].merge(total[2])
    b.cell(label, [b.joined(TOTAL_COST)], style="Table Label", align=WD_ALIGN_PARAGRAPH.RIGHT)
    # The total under the costs, with the period's width as well: a large sum stays whole.
    amount = total[3].merge(total[4])
    b.cell(amount, ["{{ action_plan.total_cost }}"], style="Table Label",
           align=WD_ALIGN_PARAGRAPH.RIGHT)
    for cell in (label, amount):
        b.shade(cell, LABEL_FILL)

    b.heading(SIGNATURES)
    b.tag("{%p if action_plan.signatories %}")
    b.para("{{ action_plan.signatories }}", keep_next=True)
    b.tag("{%p endif %}")
    b.signatures([(FOR_THE_CLUSTER, ["{{ action_plan.cluster_party }}",
                                     "{{ action_plan.cluster_signatory }}"]),
                  (N_("For the partner office"), ["{{ office.name }}",
                                                  "{{ document.advisor }}"])])

    # The members, each with the number that identifies it, in an annex.
    b.tag("{%p if parties %}")
    annex = b.heading(ANNEX_MEMBERS)
    annex.paragraph_format.page_break_before = True
    table = b.table([0.9, b.width - 9.4, 2.2, 2.7, 3.6])
    b.header_row(table, [NO, ORGANISATION, COUNTRY, TAX_ID, ROLE], centred=[0])
    b.loop_row(table, "{%tr for p in parties %}")
    cells = b.row(table).cells
    b.cell(cells[0], ["{{ p.number }}"], align=WD_ALIGN_PARAGRAPH.CENTER)
    b.cell(cells[1], ["{{ p.name }}"])
    b.add_to_cell(cells[1], "{{ p.address }}", size=7.5)
    b.cell(cells[2], b.values("p.country"))
    b.cell(cells[3], ["{{ p.tax_id }}"])
    b.cell(cells[4], b.values("p.role"))
    b.loop_row(table, "{%tr endfor %}")
    b.tag("{%p endif %}")
    b.end()


def _consultation(b: Builder) -> None:
    b.title(b.values("consultation.subject"))
    b.facts([
        (N_("Date and time"),
         ["{{ consultation.date }}{% if consultation.time %}, {{ consultation.time }}{% endif %}"]),
        (PLACE, ["{{ consultation.place }}"]),
        (N_("Mode"), b.values("consultation.mode")),
        (N_("Duration (minutes)"), ["{{ consultation.duration_minutes }}"]),
        (CLUSTER, [_NAME_WITH_OTHER.format(c="cluster")]),
        (ORGANISATION, ["{{ organisation.name }}"]),
        (PREPARED_BY, ["{{ consultation.prepared_by }}"]),
    ], wide=[4, 5, 6])

    b.tag("{%p if participants %}")
    b.heading(N_("Participants"))
    table = b.table([1.0, 5.0, 4.5, b.width - 10.5])
    b.header_row(table, [NO, NAME, FUNCTION, ORGANISATION], centred=[0])
    b.loop_row(table, "{%tr for c in participants %}")
    cells = b.row(table).cells
    b.cell(cells[0], ["{{ loop.index }}"], align=WD_ALIGN_PARAGRAPH.CENTER)
    b.cell(cells[1], ["{{ c.name }}"])
    b.cell(cells[2], ["{{ c.function }}"])
    b.cell(cells[3], ["{{ c.organisation }}"])
    b.loop_row(table, "{%tr endfor %}")
    b.tag("{%p endif %}")

    b.text_section(N_("Topics"), "consultation.topics", per_language=True)
    for message, name in ((N_("Summary"), "consultation.summary"),
                          (N_("Outcomes"), "consultation.outcomes")):
        # Free text kept in both languages: the document's side (or the other, marked).
        condition = f"{name}_pl or {name}_de" if b.both else name
        b.tag(f"{{%p if {condition} %}}")
        b.text_section(message, name, per_language=True)
        b.tag("{%p endif %}")

    # The agreements are the follow-up tasks: who does what by when, and whether it is done.
    b.tag("{%p if tasks %}")
    b.heading(N_("Agreed actions"))
    # The date column holds "Fälligkeitsdatum" (the glossary's word) unbroken.
    table = b.table([1.0, b.width - 10.0, 3.6, 3.2, 2.2])
    b.header_row(table, [NO, N_("Task"), RESPONSIBLE, N_("Due date"), N_("Done")],
                 centred=[0, 4])
    b.loop_row(table, "{%tr for t in tasks %}")
    cells = b.row(table).cells
    b.cell(cells[0], ["{{ t.number }}"], align=WD_ALIGN_PARAGRAPH.CENTER)
    task = b.cell(cells[1], ["{{ t.title }}"], bold=True)
    b.run(task, "{% if t.notes %}\n{{ t.notes }}{% endif %}")
    b.cell(cells[2], ["{{ t.assignee }}"])
    b.cell(cells[3], ["{{ t.due_on }}"])
    b.cell(cells[4], b.values("t.done"), align=WD_ALIGN_PARAGRAPH.CENTER)
    b.loop_row(table, "{%tr endfor %}")
    b.tag("{%p endif %}")

    b.tag("{%p if consultation.next_meeting %}")
    next_meeting = b.para(before=10, keep_next=True)
    b.run(next_meeting, f"{b.joined(N_('Next meeting'))}: ", bold=True)
    b.run(next_meeting, "{{ consultation.next_meeting }}")
    b.tag("{%p endif %}")

    b.heading(SIGNATURES)
    counterpart = (["{{ consultation.counterpart_pl }}",
                    "{% if consultation.counterpart_de != consultation.counterpart_pl %}"
                    "{{ consultation.counterpart_de }}{% endif %}"] if b.both
                   else ["{{ consultation.counterpart }}"])
    # One line of names a side (the office is in "Prepared by"), so the lines align.
    b.signatures([(PREPARED_BY, ["{{ consultation.advisor }}"]),
                  (N_("For the cluster or organisation"), counterpart)])
    b.end()


def _evaluation(b: Builder) -> None:
    b.title([_NAME_WITH_OTHER.format(c="cluster")])
    b.facts([
        (CLUSTER, [_NAME_WITH_OTHER.format(c="cluster")]),
        (DATE, ["{{ evaluation.evaluated_on }}"]),
        (N_("Evaluator"), ["{{ evaluation.evaluator }}"]),
        # "Questionnaire", not "Questionnaire version": "Fragebogenversion" breaks its label.
        (N_("Questionnaire"), ["{{ evaluation.questionnaire_version }}"]),
    ])

    # The scale first: the scores below are read with it.
    b.heading(N_("Scoring scale"))
    table = b.table([_SCORE_CM, b.width - _SCORE_CM])
    b.header_row(table, [N_("Score"), N_("Meaning")], centred=[0])
    b.loop_row(table, "{%tr for s in scale %}")
    cells = b.row(table).cells
    b.cell(cells[0], ["{{ s.score }}"], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    b.cell(cells[1], b.values("s.meaning"))
    b.loop_row(table, "{%tr endfor %}")

    b.heading(N_("Results by area"))
    b.tag("{%p for a in areas %}")
    b.para(f"{{{{ a.number }}}}. {b.value('a.name')}", style="Heading 2")
    widths = [1.0, 8.4, _SCORE_CM, b.width - 9.4 - _SCORE_CM]
    table = b.table(widths)
    b.header_row(table, [NO, N_("Question"), N_("Score"), N_("Comment")],
                 centred=[2])
    b.loop_row(table, "{%tr for q in a.questions %}")
    cells = b.row(table).cells
    b.cell(cells[0], ["{{ q.number }}"])
    b.cell(cells[1], b.values("q.text"))
    b.cell(cells[2], ["{{ q.score }}"], align=WD_ALIGN_PARAGRAPH.CENTER)
    b.cell(cells[3], ["{{ q.comment }}"])
    b.loop_row(table, "{%tr endfor %}")
    for message, value in ((N_("Area total"), "{{ a.total }} / {{ a.max_total }}"),
                           (AVERAGE, "{{ a.average }}")):
        cells = b.row(table).cells
        label = cells[0].merge(cells[1])
        b.cell(label, [b.joined(message)], bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
        b.cell(cells[2], [value], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        for cell in (label, cells[2], cells[3]):
            b.shade(cell, LABEL_FILL)
    b.tag("{%p endfor %}")

    b.heading(N_("Overall result"))
    # "Total", not "Total score": "Gesamtpunktzahl" breaks its label.
    b.facts([(N_("Total"), ["{{ evaluation.total }} / {{ evaluation.max_total }}"]),
             (AVERAGE, ["{{ evaluation.average }}"])])
    b.text_section(N_("Strengths"), "evaluation.strengths", per_language=False)
    b.text_section(N_("Recommendations"), "evaluation.recommendations", per_language=True)

    b.heading(SIGNATURES)
    b.signatures([(N_("Evaluator"), ["{{ evaluation.evaluator }}"]),
                  (FOR_THE_CLUSTER, ["{{ cluster.official_name }}"])])
    b.end()


# The data-protection notice of the attendance list (RODO / DSGVO); {organiser} is the
# office that organises the event, the controller of the data on the list.
PRIVACY_NOTICE = N_(
    "Data protection (GDPR): the controller of the personal data on this list (full name, "
    "organisation, country, e-mail, signature, photo consent) is {organiser}. The data are "
    "processed to document participation in the event for the programme funded by the "
    "European Union (Art. 6(1)(c) and (e) GDPR), kept for as long as the programme's rules "
    "require and passed on only to the programme's bodies and auditors. You have the right "
    "of access, rectification, erasure, restriction of processing and objection, and the "
    "right to lodge a complaint with a data protection supervisory authority.")
PHOTO_NOTE = N_("By signing, participants confirm that they attended the event. Photo consent: "
                "tick the box if you agree that photographs of you taken at the event may be "
                "published to report on the programme.")
FULL_NAME = N_("First and last name")
EMAIL = N_("E-mail")
TICK_BOX = "\u2610"  # ☐, ticked by the participant by hand


def _attendance(b: Builder) -> None:
    b.title(b.values("event.title"))
    b.facts([
        (N_("Kind of event"), b.values("event.kind")),
        (N_("Date and time"), ["{{ event.when }}"]),
        (PLACE, ["{{ event.place }}"]),
        # "Address", not "Venue address": "Adresse des Veranstaltungsorts" breaks its label.
        (N_("Address"), ["{{ event.venue_address }}"]),
        (CLUSTER, ["{{ event.cluster }}"]),
    ])
    organiser = "{% if event.organiser %}{{ event.organiser }}{% else %}{{ office.name }}{% endif %}"
    b.lines([text.format(organiser=organiser) for text in b.tr(PRIVACY_NOTICE)],
            size=7.5, after=2, before=6)
    b.lines(b.tr(PHOTO_NOTE), size=8.5, after=2, before=2)

    widths = [1.0, 4.6, 5.0, 2.4, 6.0, 4.2, b.width - 23.2]  # e-mail addresses unbroken
    table = b.table(widths)
    b.header_row(table, [NO, FULL_NAME, ORGANISATION, COUNTRY, EMAIL, SIGNATURE,
                         N_("Photo consent")], centred=[0, 5, 6])
    b.loop_row(table, "{%tr for p in participants %}")
    row = b.row(table, height=_SIGNATURE_ROW_CM)
    # Where the person's recorded consent decides (refused, withdrawn, given for photos)
    # it is printed; else a box for the participant to tick.
    consent_cell = ("{% if p.photo_consent_recorded %}" + " / ".join(b.values("p.photo_consent"))
                    + "{% else %}" + TICK_BOX + "{% endif %}")
    texts = [["{{ p.number }}"], ["{{ p.name }}"], ["{{ p.organisation }}"],
             b.values("p.country"), ["{{ p.email }}"], [], [consent_cell]]
    for index, (cell, lines) in enumerate(zip(row.cells, texts, strict=True)):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        centred = index in (0, 6)
        b.cell(cell, lines, align=WD_ALIGN_PARAGRAPH.CENTER if centred else None)
    b.loop_row(table, "{%tr endfor %}")
    for _walk_in in range(_WALK_IN_ROWS):  # for people who come without registering
        walk_in = b.row(table, height=_SIGNATURE_ROW_CM)
        walk_in.cells[6].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        b.cell(walk_in.cells[6], [TICK_BOX], align=WD_ALIGN_PARAGRAPH.CENTER)
    b.end()


_BOOKMARK = "_Toc_cluster{{ c.number }}"


def _directory(b: Builder) -> None:
    section = b.doc.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    section.first_page_footer.is_linked_to_previous = False
    b.cover_footer(section.first_page_footer)

    b.para("{{ programme.name }}", size=13, before=150, after=6).runs[0].font.color.rgb = MUTED
    for index, text in enumerate(b.tr(KINDS["directory"])):
        title = b.para(text, style="Title", size=32 if index == 0 else 22, second=index > 0,
                       after=4)
    borders(title._p.get_or_add_pPr(), "pBdr", PPR, ("bottom",), color="1F3864", size=12,
            space=8)
    title.paragraph_format.space_after = Pt(12)
    b.lines(["{{ office.name }}"], style="Subtitle", after=2)
    label = b.joined(N_("Number of clusters"))
    count = b.para(f"{label}: ", before=24, size=12)
    b.run(count, "{{ cluster_count }}", bold=True, size=12)
    b.para("{{ document.date }}", size=12)

    contents = b.para(b.joined(N_("Table of contents")), style="TOC Heading")
    contents.paragraph_format.page_break_before = True
    # The entries as paragraphs of Word's "toc 1" style, written by the loop, not inside a
    # TOC field (LibreOffice prints a TOC field as it was saved and does not compute the
    # page references inside it): each a link to the bookmark at its cluster's heading with
    # a PAGEREF field to it, which LibreOffice computes when it lays the document out and
    # Word updates on opening (updateFields, and the field marked dirty).
    update_fields_on_open(b.doc)
    b.tag("{%p for c in clusters %}")
    entry = b.para(style="toc 1")
    b.run(entry, "{{ c.number }}. " + _NAME_WITH_OTHER.format(c="c"))
    b.run(entry, "\t")
    fld_char(entry, "begin", dirty=True)
    instr_text(entry, f"PAGEREF {_BOOKMARK} \\h")
    fld_char(entry, "separate")
    fld_char(entry, "end")
    link = OxmlElement("w:hyperlink", {qn("w:anchor"): _BOOKMARK, qn("w:history"): "1"})
    for run in list(entry._p.iterchildren(qn("w:r"))):
        link.append(run)
    entry._p.append(link)
    b.tag("{%p endfor %}")

    b.tag("{%p for c in clusters %}")
    heading = b.para(_NAME_WITH_OTHER.format(c="c"), style="Heading 1")
    heading.paragraph_format.page_break_before = True  # no empty page after the last one
    b.numbered(heading)  # 1., 2., … from numbering.xml (Word's TOC shows them too)
    runs = heading._p.findall(qn("w:r"))
    runs[0].addprevious(OxmlElement("w:bookmarkStart", {
        qn("w:id"): "{{ c.number }}", qn("w:name"): _BOOKMARK}))
    runs[-1].addnext(OxmlElement("w:bookmarkEnd", {qn("w:id"): "{{ c.number }}"}))
    # One fact to a row; a value the cluster does not have takes no row.
    b.fact_rows([
        (N_("Kind"), b.values("c.kind"), None),
        (N_("Founded"), ["{{ c.founded_on }}"], "c.founded_on"),
        (N_("Region"), b.values("c.region"), "c.region"),
        (COUNTRY, b.values("c.country"), None),
        (N_("Legal form"), ["{{ c.legal_form }}"], "c.legal_form"),
        (N_("Website"), ["{{ c.website }}"], "c.website"),
        (COORDINATOR, ["{{ c.coordinator }}"], "c.coordinator"),
        (N_("Members"), ["{{ c.member_count }}"], None),
        (N_("Sectors"), b.values("c.sectors"), "c.sectors"),
        (N_("Smart specialisations"), b.values("c.smart_specialisations"),
         "c.smart_specialisations"),
    ])

    condition = "c.description_pl or c.description_de" if b.both else "c.description"
    b.tag(f"{{%p if {condition} %}}")
    b.text_section(N_("Description"), "c.description", per_language=True, level=2)
    b.tag("{%p endif %}")

    b.tag("{%p if c.members %}")
    b.heading(N_("Member organisations"), 2)
    table = b.table([7.0, 3.6, 2.9, b.width - 13.5])
    b.header_row(table, [NAME, N_("City"), COUNTRY, ROLE])
    b.loop_row(table, "{%tr for o in c.members %}")
    cells = b.row(table).cells
    b.cell(cells[0], ["{{ o.name }}"])
    b.cell(cells[1], ["{{ o.city }}"])
    b.cell(cells[2], b.values("o.country"))
    b.cell(cells[3], b.values("o.role"))
    b.loop_row(table, "{%tr endfor %}")
    b.tag("{%p endif %}")

    b.tag("{%p if c.contacts %}")
    b.heading(CONTACT_PERSONS, 2)
    table = b.table([5.0, 5.0, b.width - 10.0])
    b.header_row(table, [NAME, ORGANISATION, N_("E-mail and phone")])
    b.loop_row(table, "{%tr for p in c.contacts %}")
    cells = b.row(table).cells
    b.cell(cells[0], ["{{ p.name }}"], bold=True)
    b.add_to_cell(cells[0], "{{ p.function }}")
    b.cell(cells[1], ["{{ p.organisation }}"])
    b.cell(cells[2], ["{{ p.email }}"])
    b.add_to_cell(cells[2], "{{ p.phone }}")
    b.loop_row(table, "{%tr endfor %}")
    b.tag("{%p endif %}")
    b.tag("{%p endfor %}")
    b.end()


# --- Forming a new cluster ------------------------------------------------------------
PARTIES = N_("Parties")
REGISTER_NUMBERS = N_("Register numbers")
REPRESENTED_BY = N_("Represented by")
SEAT = N_("Seat")
LEADER = N_("Leader")
MEMBERS_COUNCIL = N_("Members' council")
COUNCIL_OF_ALL = N_("one representative of each member")


def _place_and_date(b: Builder, date: str, place: str) -> None:
    """"Zielona Góra, 12.03.2026" on the right, as a letter starts."""
    b.para(f"{{% if {place} %}}{{{{ {place} }}}}, {{% endif %}}{{{{ {date} }}}}",
           align=WD_ALIGN_PARAGRAPH.RIGHT, after=6)


def _parties(b: Builder) -> None:
    """The parties: each organisation with its address, register numbers and signatory."""
    b.heading(PARTIES)
    table = b.table([1.0, 6.6, 5.2, b.width - 12.8])
    b.header_row(table, [NO, ORGANISATION, REGISTER_NUMBERS, REPRESENTED_BY], centred=[0])
    b.loop_row(table, "{%tr for p in parties %}")
    cells = b.row(table).cells
    b.cell(cells[0], ["{{ p.number }}"], align=WD_ALIGN_PARAGRAPH.CENTER)
    b.cell(cells[1], ["{{ p.name }}"], bold=True)
    b.add_to_cell(cells[1], "{{ p.address }}")
    for index, country in enumerate(b.values("p.country")):
        b.add_to_cell(cells[1], country, size=7.5, second=index == 1)
    b.cell(cells[2], ["{{ p.registers }}"])
    b.cell(cells[3], ["{{ p.representative }}"])
    b.loop_row(table, "{%tr endfor %}")


def _clause_text(item: str, language: str = "") -> str:
    return (f"{{% if {item}.number %}}{{{{ {item}.number }}}}. {{% endif %}}"
            f"{{{{ {item}.content{language} }}}}")


def _clauses_table(b: Builder, loop: str, item: str,
                   heading: tuple[str, str] | None = None, *, keep: bool = False) -> None:
    """Numbered clauses in a table without lines, a row each (a page breaks between two
    clauses, never inside one): the number in a column of its own, the text beside it; side
    by side, the Polish clause and the German one in one row, so they stand level. With a
    ``heading`` (a paragraph's), it heads the table and keeps with its first clause. A
    table that ``keep``s stays whole on the page of what follows (the signatures):
    LibreOffice keeps a table with the next paragraph only when all its rows keep."""
    widths = [b.width / 2] * 2 if b.both else [0.7, b.width - 0.7]
    table = b.table(widths, grid=False)
    if b.both:
        borders(table._tbl.tblPr, "tblBorders", TBLPR, ("insideV",))
    if heading is not None:
        row = b.row(table)
        if b.both:
            cells = [(row.cells[0], heading[0], False), (row.cells[1], heading[1], True)]
        else:
            cells = [(row.cells[0].merge(row.cells[1]), heading[0], False)]
        for cell, name, second in cells:
            b.para(f"{{{{ {name} }}}}", paragraph=cell.paragraphs[0], style="Heading 2",
                   second=second)
    b.loop_row(table, f"{{%tr {loop} %}}")
    row = b.row(table)
    b.loop_row(table, "{%tr endfor %}")
    if b.both:
        texts = [(row.cells[0], _clause_text(item, "_pl"), False),
                 (row.cells[1], _clause_text(item, "_de"), True)]
    else:
        texts = [(row.cells[0], f"{{% if {item}.number %}}{{{{ {item}.number }}}}."
                                f"{{% endif %}}", False),
                 (row.cells[1], f"{{{{ {item}.content }}}}", False)]
    for cell, text, second in texts:
        b.para(text, paragraph=cell.paragraphs[0], style="Normal", after=4, second=second)
    for tr in table.rows:
        first, last = tr.cells[0], tr.cells[-1]
        if first._tc is last._tc:  # a heading across the columns
            margins(first._tc.get_or_add_tcPr(), "tcMar", TCPR, left=0, right=0)
            continue
        gap = 0.3 if b.both else 0.1
        margins(first._tc.get_or_add_tcPr(), "tcMar", TCPR, left=0, right=gap)
        margins(last._tc.get_or_add_tcPr(), "tcMar", TCPR, right=0, left=gap)
    if keep:
        for tr in table.rows:
            for cell in tr.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True


def _rules(b: Builder) -> None:
    """The numbered paragraphs (§), each its heading and its clauses."""
    heading = ("p.heading_pl", "p.heading_de") if b.both else ("p.heading", "")
    b.tag("{%p for p in paragraphs %}")
    b.tag("{%p if not loop.last %}")
    _clauses_table(b, "for c in p.clauses", "c", heading)
    b.tag("{%p else %}")
    _last_paragraph(b, heading)
    b.tag("{%p endif %}")
    b.tag("{%p endfor %}")


def _last_paragraph(b: Builder, heading: tuple[str, str]) -> None:
    """The last paragraph (the final provisions), whole on the page of the signatures:
    paragraphs, which LibreOffice keeps with what follows (it does not keep a table of
    several rows), the numbers hanging; side by side, the German heading and each German
    clause under the Polish one."""
    headings = [heading[0], heading[1]] if b.both else [heading[0]]
    for index, name in enumerate(headings):
        b.para(f"{{{{ {name} }}}}", style="Heading 2", second=index > 0,
               after=0 if index < len(headings) - 1 else None)
    b.tag("{%p for c in p.clauses %}")
    languages = ["_pl", "_de"] if b.both else [""]
    for index, language in enumerate(languages):
        clause = b.para(f"{{% if c.number %}}{{{{ c.number }}}}.{{% endif %}}\t"
                        f"{{{{ c.content{language} }}}}", after=4, keep_next=True,
                        second=index > 0)
        fmt = clause.paragraph_format
        # Where the clauses' texts stand in the tables above (number column and margin).
        fmt.left_indent, fmt.first_line_indent = Cm(0.8), Cm(-0.8)
        fmt.tab_stops.add_tab_stop(Cm(0.8))
    b.tag("{%p endfor %}")


def _letter_of_intent(b: Builder) -> None:
    b.title([_NAME_WITH_OTHER.format(c="cluster")])
    _place_and_date(b, "initiative.letter_date", "initiative.place")
    _parties(b)
    _rules(b)
    b.heading(SIGNATURES)
    b.party_signatures("for p in parties", ["{{ p.name }}", "{{ p.representative }}"])
    b.end()


def _cooperation_agreement(b: Builder) -> None:
    b.title([_NAME_WITH_OTHER.format(c="cluster")])
    _place_and_date(b, "initiative.agreement_date", "initiative.place")
    # The council's members by name, else who it is made of (as its § says).
    council = ("{% for c in council %}{{ c.name }}{% if c.organisation %} "
               "({{ c.organisation }}){% endif %}{% if not loop.last %}; {% endif %}"
               "{% endfor %}{% if not council %}" + b.joined(COUNCIL_OF_ALL) + "{% endif %}")
    b.facts([
        (CLUSTER, [_NAME_WITH_OTHER.format(c="cluster")]),
        (SEAT, ["{{ initiative.place }}"]),
        (DURATION, b.values("initiative.term")),
        (LEADER, ["{{ leader.name }}"]),
        (COORDINATOR, ["{{ coordinator.name }}"]),
        (MEMBERS_COUNCIL, [council]),
    ], wide=[0, 5])
    _parties(b)
    _rules(b)
    b.heading(SIGNATURES)
    b.party_signatures("for p in parties", ["{{ p.name }}", "{{ p.representative }}"])
    b.end()


def _accession_declaration(b: Builder) -> None:
    b.title([_NAME_WITH_OTHER.format(c="cluster")])
    _place_and_date(b, "membership.date", "membership.place")
    b.fact_rows([
        # (A person who joins in their own right has no organisation: no empty rows.)
        (ORGANISATION, ["{{ organisation.name }}"], "organisation.name"),
        # The country on the address's line ("…, 03046 Cottbus, Niemcy / Deutschland").
        (N_("Address"), ["{{ organisation.address }}, " + b.value("organisation.country")],
         "organisation.address"),
        (REGISTER_NUMBERS, ["{{ organisation.registers }}"], "organisation.registers"),
        (REPRESENTED_BY, ["{{ organisation.representative }}"], "organisation.representative"),
        # The cluster is the title's subtitle; who accepts the declaration for it:
        (COORDINATOR, ["{{ coordinator.name }}"], "coordinator.name"),
    ])
    b.heading(N_("Declaration"))
    _clauses_table(b, "for c in points", "c", keep=True)
    b.heading(SIGNATURES)
    # The signatory under the organisation in one paragraph (a second one would be taken
    # for the German line of a side-by-side document).
    b.signatures([(N_("For the joining organisation"),
                   ["{{ organisation.name }}{% if organisation.representative %}\n"
                    "{{ organisation.representative }}{% endif %}"]),
                  (N_("Accepted for the cluster"), ["{{ coordinator.name }}"])])
    b.end()


_CONTENTS: dict[str, Callable[[Builder], None]] = {
    "action-plan": _action_plan,
    "consultation": _consultation,
    "evaluation": _evaluation,
    "attendance": _attendance,
    "directory": _directory,
    "letter-of-intent": _letter_of_intent,
    "accession-declaration": _accession_declaration,
    "cooperation-agreement": _cooperation_agreement,
}
