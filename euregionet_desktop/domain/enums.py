"""The domain's closed vocabularies, with labels marked for translation."""

from __future__ import annotations

from enum import StrEnum

from euregionet_desktop.i18n import N_


class Choice(StrEnum):
    """A stored value with a translatable label (``label`` is the untranslated source)."""

    label: str

    def __new__(cls, value: str, label: str) -> Choice:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


class Country(Choice):
    PL = "PL", N_("Poland")
    DE = "DE", N_("Germany")
    OTHER = "XX", N_("Other country")


class Language(Choice):
    PL = "pl", N_("Polish")
    DE = "de", N_("German")
    EN = "en", N_("English")


class ClusterKind(Choice):
    CLUSTER = "cluster", N_("Cluster")
    NETWORK = "network", N_("Network")
    INITIATIVE = "initiative", N_("Cluster initiative")


class ClusterStage(Choice):
    IDEA = "idea", N_("Idea")
    FORMING = "forming", N_("Forming")
    ESTABLISHED = "established", N_("Established")


class SupportStatus(Choice):
    CONTACTED = "contacted", N_("Contacted")
    EVALUATED = "evaluated", N_("Evaluated")
    PLAN_AGREED = "plan_agreed", N_("Action plan agreed")
    SUPPORTED = "supported", N_("Supported")


class SmartSpecialisation(Choice):
    # Lubuskie RIS
    GREEN_ECONOMY = "pl_green_economy", N_("Green economy (Lubuskie)")
    HEALTH_QUALITY_OF_LIFE = "pl_health", N_("Health and quality of life (Lubuskie)")
    INNOVATIVE_INDUSTRY = "pl_industry", N_("Innovative industry (Lubuskie)")
    # Brandenburg innoBB 2025 (plus)
    HEALTH = "de_health", N_("Health economy (Brandenburg)")
    ENERGY = "de_energy", N_("Energy technology (Brandenburg)")
    MOBILITY = "de_mobility", N_("Transport, mobility and logistics (Brandenburg)")
    ICT_MEDIA = "de_ict", N_("ICT, media and creative industries (Brandenburg)")
    PHOTONICS = "de_photonics", N_("Optics and photonics (Brandenburg)")
    FOOD = "de_food", N_("Food (Brandenburg)")
    PLASTICS = "de_plastics", N_("Plastics and chemistry (Brandenburg)")
    METAL = "de_metal", N_("Metal (Brandenburg)")
    TOURISM = "de_tourism", N_("Tourism (Brandenburg)")



class Sector(Choice):
    """Sectors of clusters and organisations: the stored code prints in the reader's
    language. A sector field may also hold free text (typed before this list, or not in
    it): that prints as typed."""

    METAL = "metal", N_("Metal industry")
    ELECTRICAL = "electrical", N_("Electrical industry")
    ENERGY = "energy", N_("Energy technology")
    SMART_GRID = "smart_grid", N_("Smart grids")
    HYDROGEN = "hydrogen", N_("Hydrogen")
    RENEWABLE_ENERGY = "renewable_energy", N_("Renewable energy")
    GREEN_TECHNOLOGY = "green_technology", N_("Green technology")
    ENVIRONMENT = "environment", N_("Environmental protection")
    INVASIVE_SPECIES = "invasive_species", N_("Control of invasive species")
    ICT = "ict", N_("Information and communication technology")
    MEDIA = "media", N_("Media")
    CREATIVE = "creative", N_("Creative industries")
    FOOD = "food", N_("Food industry")
    HEALTH = "health", N_("Health industry")
    TOURISM = "tourism", N_("Tourism")
    HISTORICAL_TOURISM = "historical_tourism", N_("Historical tourism")
    WINE_HONEY = "wine_honey", N_("Wine and honey")
    OPTICS = "optics", N_("Optics and photonics")
    PLASTICS = "plastics", N_("Plastics")
    CHEMISTRY = "chemistry", N_("Chemical industry")
    TRANSPORT = "transport", N_("Transport and mobility")
    LOGISTICS = "logistics", N_("Logistics")


class Region(Choice):
    """Regions of the programme area: the stored code prints in the reader's language (a
    region field may also hold free text, printed as typed)."""

    LUBUSKIE = "lubuskie", N_("Lubuskie Voivodeship")
    GORZOW = "gorzow", N_("Gorzów Wielkopolski area")
    ZIELONA_GORA = "zielona_gora", N_("Zielona Góra area")
    KROSNO = "krosno", N_("Krosno Odrzańskie area")
    BRANDENBURG = "brandenburg", N_("Brandenburg")
    BERLIN_BRANDENBURG = "berlin_brandenburg", N_("Berlin-Brandenburg")
    LAUSITZ = "lausitz", N_("Lusatia")
    SOUTH_BRANDENBURG = "south_brandenburg", N_("South Brandenburg")
    COTTBUS = "cottbus", N_("Cottbus area")


class OrganisationKind(Choice):
    MICRO = "micro", N_("Micro enterprise")
    SMALL = "small", N_("Small enterprise")
    MEDIUM = "medium", N_("Medium-sized enterprise")
    LARGE = "large", N_("Large enterprise")
    UNIVERSITY = "university", N_("University")
    RESEARCH = "research", N_("Research institution")
    AUTHORITY = "authority", N_("Public authority")
    BUSINESS_SUPPORT = "business_support", N_("Business support organisation")
    CHAMBER = "chamber", N_("Chamber")
    ASSOCIATION = "association", N_("Association")


class MembershipRole(Choice):
    COORDINATOR = "coordinator", N_("Cluster coordinator")
    FOUNDING_MEMBER = "founding_member", N_("Founding member")
    MEMBER = "member", N_("Member")
    PARTNER = "partner", N_("Partner")
    CONTACT_PERSON = "contact_person", N_("Contact person")


class ConsentStatus(Choice):
    UNKNOWN = "unknown", N_("Not asked")
    ASKED = "asked", N_("Asked, no answer yet")
    GIVEN = "given", N_("Consent given")
    REFUSED = "refused", N_("Consent refused")
    WITHDRAWN = "withdrawn", N_("Consent withdrawn")


class ConsentSource(Choice):
    """How a person's consent was obtained (the evidence is an attachment, kind consent)."""

    FORM = "form", N_("Consent form")
    EMAIL = "email", N_("E-mail")
    EVENT_REGISTRATION = "event_registration", N_("Event registration")
    SIGNED_LIST = "signed_list", N_("Signed list")


class ConsentScope(Choice):
    """What a person consented to (services.consent reads them)."""

    COMMUNICATION = "communication", N_("Programme communication")
    NEWSLETTER = "newsletter", N_("Newsletter")
    PHOTOS = "photos", N_("Photos")
    DIRECTORY = "directory", N_("Publication in the directory")


class ConsultationMode(Choice):
    SITE_VISIT = "site_visit", N_("Site visit")
    OFFICE = "office", N_("At the office")
    ONLINE = "online", N_("Online")
    PHONE = "phone", N_("Phone")


class Topic(Choice):
    """The programme's five lines of support."""

    CLUSTER_DIALOGUE = "cluster_dialogue", N_("Cluster dialogue")
    SERVICE_STRUCTURES = "service_structures", N_("Service structures")
    PROJECTS_FUNDING = "projects_funding", N_("Cross-border projects and funding")
    SMART_SPECIALISATION = "smart_specialisation", N_(
        "Smart specialisation and internationalisation"
    )
    REGIONAL_MARKETING = "regional_marketing", N_("Regional marketing and a PL-DE cluster brand")


class ActionPlanStatus(Choice):
    DRAFT = "draft", N_("Draft")
    AGREED = "agreed", N_("Agreed")
    SIGNED = "signed", N_("Signed")
    IN_PROGRESS = "in_progress", N_("In progress")
    COMPLETED = "completed", N_("Completed")


# An action plan counts towards the indicator once the partners have agreed it.
AGREED_PLAN_STATUSES = (
    ActionPlanStatus.AGREED,
    ActionPlanStatus.SIGNED,
    ActionPlanStatus.IN_PROGRESS,
    ActionPlanStatus.COMPLETED,
)


class MeasureStatus(Choice):
    PLANNED = "planned", N_("Planned")
    IN_PROGRESS = "in_progress", N_("In progress")
    DONE = "done", N_("Done")
    CANCELLED = "cancelled", N_("Cancelled")


class Currency(Choice):
    PLN = "PLN", N_("Polish złoty (PLN)")
    EUR = "EUR", N_("Euro (EUR)")


class EventKind(Choice):
    OPENING_CONFERENCE = "opening_conference", N_("Opening conference")
    KICKOFF = "kickoff", N_("Regional kick-off meeting")
    PARTNER_MEETING = "partner_meeting", N_("Partner meeting / project council")
    STUDY_TRIP = "study_trip", N_("Study trip")
    CLUSTER_CONGRESS = "cluster_congress", N_("Cluster congress")
    CLOSING_CONFERENCE = "closing_conference", N_("Closing conference")
    WORKSHOP = "workshop", N_("Workshop")
    OTHER = "other", N_("Other event")


class ParticipantRole(Choice):
    PARTICIPANT = "participant", N_("Participant")
    SPEAKER = "speaker", N_("Speaker")
    ORGANISER = "organiser", N_("Organiser")
    GUEST = "guest", N_("Guest")


class AttachmentKind(Choice):
    FILE = "file", N_("File")
    TEMPLATE = "template", N_("Template")
    DOCUMENT = "document", N_("Generated document")
    DIRECTORY = "directory", N_("Cluster directory")
    # Evidence behind a counted indicator item (services.indicators), added by hand.
    SIGNED_ATTENDANCE = "signed_attendance", N_("Signed attendance list")
    PHOTO = "photo", N_("Photo")
    SIGNED_AGREEMENT = "signed_agreement", N_("Signed agreement")
    DECLARATION = "declaration", N_("Signed declaration")
    LOGO = "logo", N_("Logo")  # the programme's identity (emblem, programme logo)
    CONSENT = "consent", N_("Consent evidence")  # a signed form, an e-mail (GDPR)


EVIDENCE_KINDS: tuple[AttachmentKind, ...] = (
    AttachmentKind.SIGNED_ATTENDANCE, AttachmentKind.PHOTO, AttachmentKind.SIGNED_AGREEMENT,
    AttachmentKind.DECLARATION)


class FormationStepKind(Choice):
    """The steps of forming a new cluster, in order (Polish cluster practice)."""

    LETTER_OF_INTENT = "letter_of_intent", N_("Letter of intent")
    ACCESSION = "accession", N_("Accession declarations")
    AGREEMENT = "agreement", N_("Cooperation agreement")
    STATUTE_STRATEGY = "statute_strategy", N_("Statute and development strategy")
    BRAND = "brand", N_("Common brand")


class StepStatus(Choice):
    NOT_STARTED = "not_started", N_("Not started")
    IN_PROGRESS = "in_progress", N_("In progress")
    DONE = "done", N_("Done")


class ProgrammePeriod(Choice):
    """The programming period whose rules the documents follow (names, statements, logos)."""

    P2014_2020 = "2014-2020", N_("2014–2020")
    P2021_2027 = "2021-2027", N_("2021–2027")


class DocumentKind(Choice):
    """The documents the app writes from templates (names as the CLI spells them)."""

    ACTION_PLAN = "action-plan", N_("Action plan")
    CONSULTATION = "consultation", N_("Consultation protocol")
    EVALUATION = "evaluation", N_("Evaluation report")
    ATTENDANCE = "attendance", N_("Attendance list")
    DIRECTORY = "directory", N_("Cluster directory")
    # Forming a new cluster (FormationStepKind): the initiative's letter of intent and
    # cooperation agreement, an accession declaration per joining organisation.
    LETTER_OF_INTENT = "letter-of-intent", N_("Letter of intent")
    ACCESSION_DECLARATION = "accession-declaration", N_("Accession declaration")
    COOPERATION_AGREEMENT = "cooperation-agreement", N_("Cooperation agreement")
