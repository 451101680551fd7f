"""Demo library for `make run`: a realistic set of co-produced resources across the topics and
formats, made through the services, as a group would make them.

Most are published (some long enough ago that they are due or overdue for review, some with an
earlier version), a few are Easy Read, large print, audio or translated versions of another, two
drafts are in member review with feedback and staff's responses, and there are ideas, reader
feedback and reach. Safe to run any number of times: resources are found by title and left alone
once they exist. Sources are real organisations' public pages, named as references.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from members.models import Member, User
from members.roles import COORDINATORS

from . import services
from .models import Audience, Credit, Format, Language, Resource, ResourceReach, ReviewFeedback, Source, Topic

NICE = (
    "Antenatal and postnatal mental health: clinical management and service guidance (CG192)",
    "NICE",
    "https://www.nice.org.uk/guidance/cg192",
)
NHS_PND = (
    "Postnatal depression",
    "NHS.UK",
    "https://www.nhs.uk/mental-health/conditions/post-natal-depression/overview/",
)
NHS_PSYCHOSIS = ("Postpartum psychosis", "NHS.UK", "https://www.nhs.uk/mental-health/conditions/post-partum-psychosis/")
NHS_ANXIETY = ("Mental health in pregnancy", "NHS.UK", "https://www.nhs.uk/pregnancy/keeping-well/mental-health/")
MMHA = (
    "Maternal mental health: information and campaigns",
    "Maternal Mental Health Alliance",
    "https://maternalmentalhealthalliance.org/",
)
TOMMYS = (
    "Mental wellbeing in pregnancy and after birth",
    "Tommy's",
    "https://www.tommys.org/pregnancy-information/im-pregnant/mental-wellbeing",
)
APP = (
    "Postpartum psychosis: information for women and families",
    "Action on Postpartum Psychosis",
    "https://www.app-network.org/",
)
BTA = ("What is birth trauma?", "Birth Trauma Association", "https://www.birthtraumaassociation.org.uk/")
SANDS = ("Support after the death of a baby", "Sands", "https://www.sands.org.uk/")
RCOG = (
    "Fear of childbirth (tokophobia)",
    "Royal College of Obstetricians and Gynaecologists",
    "https://www.rcog.org.uk/for-the-public/",
)
PANDAS = ("Support for parents and families", "PANDAS Foundation", "https://pandasfoundation.org.uk/")
MIND = (
    "Perinatal mental health",
    "Mind",
    "https://www.mind.org.uk/information-support/types-of-mental-health-problems/postnatal-depression-and-perinatal-mental-health/",
)
NHS_PARTNERS = (
    "Dads and partners: looking after yourself",
    "NHS.UK",
    "https://www.nhs.uk/conditions/baby/support-and-services/",
)

P = "\n\n"


@dataclass
class Demo:
    title: str
    format: str
    topics: list[str]
    summary: str
    body: str
    sources: list[tuple[str, str, str]] = field(default_factory=list)
    audience: str = Audience.PARENTS
    language: str = Language.ENGLISH
    # "published", "due", "overdue", "revised" (two versions), "review" (in member review), "draft", "idea"
    plan: str = "published"
    original: str = ""


def _body(*paragraphs: str) -> str:
    return P.join(paragraphs)


RESOURCES = [
    Demo(
        "Your first appointment with the perinatal team",
        Format.LEAFLET,
        ["the-service"],
        "What happens at your first appointment, who you will meet and what you can ask. Written with mums who "
        "have been.",
        _body(
            "# Before you come",
            "We will send you a letter or a text with the time and place. You can bring your baby, your partner "
            "or a friend. "
            "If you need an interpreter, tell us and we will book one.",
            "# On the day",
            "You will meet a nurse or a doctor. They will ask how you have been feeling, how you are sleeping and "
            "what help you have at home. "
            "You do not have to answer every question. You can take a break at any time.",
            "- The appointment takes about an hour.\n- There are toys and a changing table.\n- We can pay your "
            "bus fare or parking.",
            "# After the appointment",
            "We will talk with you about what might help. This could be talking therapy, medicine, or a visit at home. "
            "You choose together with us. We will write to you and your GP to say what we agreed.",
        ),
        [NICE, NHS_PND],
        audience=Audience.EVERYONE,
        plan="revised",
    ),
    Demo(
        "Feeling low after having a baby",
        Format.LEAFLET,
        ["depression"],
        "Many parents feel low in the weeks and months after a birth. This explains the signs and where to get help.",
        _body(
            "# Is it the baby blues?",
            "In the first two weeks, lots of new mums feel weepy and worried. This is often called the baby "
            "blues. It usually passes on its own.",
            "# When it lasts longer",
            "If you still feel low after two weeks, or it gets worse, it may be postnatal depression. You might "
            "feel sad, tired, "
            "or not like yourself. You might not enjoy things. You might feel you are not a good parent. None of "
            "this is your fault.",
            "# What helps",
            "Talk to your midwife, health visitor or GP. They can refer you to us. Talking therapy helps many people. "
            "Some people also take medicine, and many are safe when you breastfeed.",
            "One mum in our group said: the first step was saying it out loud. After that, things started to get "
            "better.",
        ),
        [NHS_PND, NICE, MMHA],
        plan="published",
    ),
    Demo(
        "Worry and anxiety in pregnancy",
        Format.LEAFLET,
        ["anxiety"],
        "Worry is common in pregnancy. This helps you tell when it has become too much, and what you can do.",
        _body(
            "# A normal worry, or something more?",
            "Most people worry in pregnancy. But if worry stops you sleeping, eating or going out, it may be anxiety. "
            "Some people have panic attacks. Some people check things again and again.",
            "# Things you can try",
            "- Tell someone you trust how you feel.\n- Breathe slowly, in for four and out for six.\n- Go for a "
            "short walk each day.\n- Write your worries down, then put the paper away.",
            "# Getting help",
            "Your midwife can refer you to our team. We can offer talking therapy in person, on the phone or by video.",
        ),
        [NHS_ANXIETY, TOMMYS, NICE],
        plan="overdue",
    ),
    Demo(
        "Postpartum psychosis: information for families",
        Format.LEAFLET,
        ["postpartum-psychosis", "partners-and-family"],
        "Postpartum psychosis is rare and serious, and people recover. This is for partners and families who want "
        "to understand it and help.",
        _body(
            "# What it is",
            "Postpartum psychosis is a serious illness that can start suddenly in the days or weeks after birth. "
            "A mum may see or hear things others do not, believe things that are not true, or be very high or "
            "very low.",
            "# What to do",
            "It is an emergency. Call 999 or take her to A and E, or call the crisis line. You have done the "
            "right thing by asking for help.",
            "# Recovery",
            "With treatment, most women get fully well. Many are cared for with their baby in a mother and baby unit. "
            "Families can visit, and staff will keep you up to date.",
        ),
        [APP, NHS_PSYCHOSIS, NICE],
        audience=Audience.PARTNERS_FAMILY,
        plan="published",
    ),
    Demo(
        "After a difficult birth",
        Format.LEAFLET,
        ["birth-trauma"],
        "If your birth was frightening or did not go as planned, you may still be affected. This explains what "
        "can help, including talking it through.",
        _body(
            "# You are not alone",
            "Many people find their birth hard to think about. You might have flashbacks, bad dreams or feel on edge. "
            "You might avoid the hospital. These are common after a frightening birth.",
            "# Talking it through",
            "Our birth reflections service lets you go through your notes with a midwife. You can ask what "
            "happened and why.",
            "# More help",
            "If the feelings do not fade, talking therapy can help a lot. Ask your GP, midwife or health visitor "
            "to refer you.",
        ),
        [BTA, NICE],
        plan="due",
    ),
    Demo(
        "When your baby has died",
        Format.LEAFLET,
        ["perinatal-loss"],
        "Gentle information for parents after the death of a baby in pregnancy or soon after birth, and where to "
        "find support.",
        _body(
            "# Grief takes its own time",
            "There is no right way to feel. Some parents feel numb. Some feel angry or guilty. Many feel all of "
            "these, on different days.",
            "# Support from us",
            "Our team can see you if grief is making it hard to cope day to day. You can also come back to us in "
            "a future pregnancy.",
            "# Support from others",
            "Sands runs a helpline and local groups for parents and families. Partners and grandparents can use "
            "them too.",
        ),
        [SANDS, NICE],
        plan="published",
    ),
    Demo(
        "Frightened of giving birth",
        Format.LEAFLET,
        ["tokophobia"],
        "A strong fear of birth has a name, tokophobia. This explains the help you can have and the choices you "
        "can make.",
        _body(
            "# A real fear",
            "Some people are so frightened of birth that they avoid pregnancy, or feel panic when they think "
            "about it. This is called tokophobia.",
            "# What can help",
            "You can talk with a specialist midwife and with our team. Together we can make a birth plan that "
            "feels safer for you. "
            "Some people choose a planned caesarean. Your choices will be listened to.",
        ),
        [RCOG, NICE],
        plan="published",
    ),
    Demo(
        "For partners: looking after yourself too",
        Format.WEB_PAGE,
        ["partners-and-family"],
        "Partners can struggle too. What to look out for in yourself, and how to support someone who is unwell.",
        _body(
            "# You matter too",
            "When someone you love is unwell after a birth, it is easy to forget yourself. Partners can become "
            "low or anxious as well.",
            "# Ways to help",
            "- Listen without trying to fix everything.\n- Share night feeds if you can.\n- Come to appointments "
            "if she would like you there.\n- Ask family and friends for practical help.",
            "# Help for you",
            "Talk to your GP about how you feel. Dads and partners groups meet in many areas.",
        ),
        [NHS_PARTNERS, MMHA],
        audience=Audience.PARTNERS_FAMILY,
        plan="published",
    ),
    Demo(
        "Medicine in pregnancy and when breastfeeding",
        Format.WEB_PAGE,
        ["the-service", "depression", "anxiety"],
        "Questions to ask about your medicine if you are pregnant, planning a pregnancy or breastfeeding.",
        _body(
            "# Do not stop suddenly",
            "If you take medicine for your mental health, talk to us or your GP before you stop. Stopping "
            "suddenly can make you unwell.",
            "# Questions to ask",
            "- Is this medicine safe in pregnancy?\n- Is it safe when I breastfeed?\n- What happens if I stop?\n- "
            "Is there another choice?",
            "# Deciding together",
            "We will go through the benefits and the risks with you. The choice is yours.",
        ),
        [NICE, MIND],
        plan="published",
    ),
    Demo(
        "How to contact us, and what to do in a crisis",
        Format.POSTER,
        ["the-service"],
        "A poster for clinic waiting rooms: how to reach the team in working hours, and who to call at night and "
        "at weekends.",
        _body(
            "# In working hours",
            "Call the team on the number on your letter, Monday to Friday, 9am to 5pm.",
            "# At night and at weekends",
            "Call NHS 111 and choose the mental health option. If you or your baby are in danger, call 999.",
        ),
        [NICE],
        audience=Audience.EVERYONE,
        plan="published",
    ),
    Demo(
        "Our mother and baby unit: a guide for families",
        Format.WEB_PAGE,
        ["the-service", "partners-and-family", "postpartum-psychosis"],
        "What a mother and baby unit is like, visiting, what to bring, and how families are kept involved.",
        _body(
            "# What it is",
            "A mother and baby unit is a ward where mums can get well with their baby beside them. Nurses help "
            "with caring for the baby.",
            "# Visiting",
            "Partners can visit most of the day. Brothers and sisters can visit in the family room.",
            "# What to bring",
            "- Comfortable clothes\n- Your baby's clothes and a favourite blanket\n- Phone charger\n- Anything "
            "that helps you relax",
        ),
        [APP, NICE],
        audience=Audience.PARTNERS_FAMILY,
        plan="published",
    ),
    Demo(
        "Sleep and your mental health with a new baby",
        Format.LEAFLET,
        ["depression", "anxiety"],
        "Why sleep matters so much, and small things that can help you get more of it.",
        _body(
            "# Why sleep matters",
            "Losing sleep can make low mood and worry worse. For some illnesses, like bipolar disorder, sleep is "
            "very important to stay well.",
            "# Small things that help",
            "- Ask someone to do one night feed.\n- Rest when the baby sleeps, even if you do not fall asleep.\n- "
            "Keep the room dark and quiet.",
        ),
        [TOMMYS, NICE],
        plan="published",
    ),
    Demo(
        "Getting ready for a future pregnancy",
        Format.WEB_PAGE,
        ["postpartum-psychosis", "depression", "the-service"],
        "If you have been unwell before, planning ahead can help you stay well next time. This explains "
        "pre-conception advice.",
        _body(
            "# Planning ahead",
            "If you have been unwell before or after a birth, you can talk to us before you get pregnant again. "
            "We can make a plan together.",
            "# What the plan covers",
            "Medicine, who to call, what support you will have at home, and what you would like to happen if you "
            "become unwell.",
        ),
        [APP, NICE],
        plan="published",
    ),
    Demo(
        "Peer support: talking to someone who has been there",
        Format.VIDEO,
        ["the-service"],
        "A short film in which members of our group talk about what peer support meant to them. With a transcript.",
        _body(
            "# Transcript",
            "When I first came, I did not say much. I just listened. Hearing someone else say what I had been "
            "feeling made me feel less alone.",
            "Peer support workers have their own experience. They can meet you for a coffee, come with you to "
            "appointments, or just listen.",
        ),
        [PANDAS, MMHA],
        plan="published",
    ),
    Demo(
        "Talking therapies in the perinatal service",
        Format.LEAFLET,
        ["the-service", "anxiety", "depression", "birth-trauma"],
        "The kinds of talking therapy we offer, how long they take, and what a session is like.",
        _body(
            "# What we offer",
            "We offer cognitive behavioural therapy, trauma-focused therapy and parent and baby sessions.",
            "# What a session is like",
            "You meet the same therapist each time, for about an hour. You can bring your baby.",
        ),
        [NICE, MIND],
        plan="published",
    ),
    # Other formats and translations of the resources above.
    Demo(
        "Feeling low after having a baby (Easy Read)",
        Format.EASY_READ,
        ["depression"],
        "An Easy Read version with pictures: feeling low after a baby, and how to get help.",
        _body(
            "Lots of mums feel sad after a baby is born.",
            "If you feel sad for more than 2 weeks, tell someone.",
            "You can tell your midwife. You can tell your doctor.",
            "They can help you. It is not your fault.",
            "Talking to someone can help you feel better. Some medicine can help too.",
        ),
        [NHS_PND],
        plan="published",
        original="Feeling low after having a baby",
    ),
    Demo(
        "Feeling low after having a baby (large print)",
        Format.LARGE_PRINT,
        ["depression"],
        "The same leaflet in large print (16 point), to read or print.",
        "",
        [NHS_PND, NICE, MMHA],
        plan="published",
        original="Feeling low after having a baby",
    ),
    Demo(
        "Feeling low after having a baby (audio)",
        Format.AUDIO,
        ["depression"],
        "The leaflet read aloud by a member of our group, about six minutes long. With a transcript.",
        _body(
            "# Transcript",
            "In the first two weeks, lots of new mums feel weepy and worried. This is often called the baby blues. "
            "If you still feel low after two weeks, talk to your midwife, health visitor or GP.",
        ),
        [NHS_PND],
        plan="published",
        original="Feeling low after having a baby",
    ),
    Demo(
        "Przygnębienie po urodzeniu dziecka",
        Format.LEAFLET,
        ["depression"],
        "Wielu rodziców czuje się przygnębionych po porodzie. Ta ulotka wyjaśnia objawy i gdzie szukać pomocy.",
        _body(
            "# Czy to tylko smutek poporodowy?",
            "W pierwszych dwóch tygodniach wiele mam często płacze i się martwi. Zwykle mija to samo.",
            "# Gdy trwa dłużej",
            "Jeśli po dwóch tygodniach nadal czujesz się źle, porozmawiaj z położną, wizytującą pielęgniarką lub "
            "lekarzem rodzinnym.",
        ),
        [NHS_PND],
        language=Language.POLISH,
        plan="published",
        original="Feeling low after having a baby",
    ),
    Demo(
        "Teimlo'n isel ar ôl cael babi",
        Format.LEAFLET,
        ["depression"],
        "Mae llawer o rieni yn teimlo'n isel ar ôl genedigaeth. Mae'r daflen hon yn esbonio'r arwyddion a ble i "
        "gael help.",
        _body(
            "# Ai'r felan ar ôl geni yw e?",
            "Yn ystod y pythefnos cyntaf, mae llawer o famau newydd yn teimlo'n ddagreuol ac yn poeni. Fel arfer "
            "mae'n pasio.",
            "# Cael help",
            "Siaradwch â'ch bydwraig, eich ymwelydd iechyd neu'ch meddyg teulu.",
        ),
        [NHS_PND],
        language=Language.WELSH,
        plan="published",
        original="Feeling low after having a baby",
    ),
    Demo(
        "بچے کی پیدائش کے بعد اداسی",
        Format.LEAFLET,
        ["depression"],
        "بہت سے والدین بچے کی پیدائش کے بعد اداس محسوس کرتے ہیں۔ یہ کتابچہ علامات اور مدد کے بارے میں بتاتا ہے۔",
        _body(
            "# مدد کہاں سے ملے",
            "اگر دو ہفتوں کے بعد بھی آپ اداس ہیں تو اپنی دائی، ہیلتھ وزیٹر یا جی پی سے بات کریں۔ یہ آپ کی غلطی "
            "نہیں ہے۔",
        ),
        [NHS_PND],
        language=Language.URDU,
        plan="published",
        original="Feeling low after having a baby",
    ),
    Demo(
        "Your first appointment (Easy Read)",
        Format.EASY_READ,
        ["the-service"],
        "An Easy Read guide to your first appointment with the perinatal team.",
        _body(
            "We will send you a letter. It says when to come.",
            "You can bring your baby. You can bring a friend.",
            "You will meet a nurse or a doctor. They will ask how you feel.",
            "You can stop for a break at any time. We will help you choose what happens next.",
        ),
        [NICE],
        audience=Audience.EVERYONE,
        plan="published",
        original="Your first appointment with the perinatal team",
    ),
    Demo(
        "Postpartum psychosis: information for families (audio)",
        Format.AUDIO,
        ["postpartum-psychosis", "partners-and-family"],
        "The family leaflet read aloud, with a transcript.",
        _body(
            "# Transcript",
            "Postpartum psychosis is a serious illness that can start suddenly after birth. Most women get fully "
            "well with treatment.",
        ),
        [APP],
        audience=Audience.PARTNERS_FAMILY,
        plan="published",
        original="Postpartum psychosis: information for families",
    ),
    Demo(
        "Frightened of giving birth (Easy Read)",
        Format.EASY_READ,
        ["tokophobia"],
        "An Easy Read version about a strong fear of giving birth.",
        _body(
            "Some people are very scared of giving birth.",
            "This is called tokophobia.",
            "You can talk to a midwife. We will listen to you. You can choose how you give birth.",
        ),
        [RCOG],
        plan="published",
        original="Frightened of giving birth",
    ),
    Demo(
        "Leaving hospital with your baby: a checklist",
        Format.POSTER,
        ["the-service"],
        "A checklist poster for wards: who to call, when your next visit is, and the signs to watch for.",
        _body(
            "- Who is your named nurse?\n- When is your first home visit?\n- Who do you call at night?\n- What "
            "are your early warning signs?"
        ),
        [NICE],
        audience=Audience.EVERYONE,
        plan="published",
    ),
    Demo(
        "Information for health visitors and midwives",
        Format.WEB_PAGE,
        ["the-service"],
        "How to refer to the perinatal team, what happens next, and how to talk with families about it. Written "
        "with our members.",
        _body(
            "# Referring",
            "Any health professional can refer. Tell the person you are referring, and ask what they would like "
            "us to know.",
            "# Words that help",
            "Members told us that being asked kindly and plainly made it easier to say how they really felt.",
        ),
        [NICE, MMHA],
        audience=Audience.PROFESSIONALS,
        plan="published",
    ),
    # In member review, drafts and ideas.
    Demo(
        "Bonding with your baby when you are unwell",
        Format.LEAFLET,
        ["depression", "anxiety", "the-service"],
        "Many parents worry about bonding when they are unwell. This draft explains that bonding can grow over "
        "time, and what can help.",
        _body(
            "# Bonding takes time",
            "Lots of parents do not feel a rush of love straight away. That is normal, and it does not mean "
            "anything is wrong with you or your baby.",
            "# Small things that help",
            "- Skin-to-skin time.\n- Talking and singing to your baby.\n- Parent and baby sessions with our team.",
            "# When to ask for help",
            "If you feel nothing for your baby, or feel frightened of being alone with them, please tell us. We "
            "can help.",
        ),
        [NICE, TOMMYS],
        plan="review",
    ),
    Demo(
        "A guide to the birth reflections service",
        Format.LEAFLET,
        ["birth-trauma", "the-service"],
        "A draft guide to going through your birth notes with a midwife, what to expect and how to book.",
        _body(
            "# What it is",
            "A chance to go through your birth notes with a senior midwife, in a quiet room, at your own pace.",
            "# How to book",
            "Ask your midwife, health visitor or GP, or contact us yourself. You can come any time, even years later.",
        ),
        [BTA, NICE],
        plan="review",
    ),
    Demo(
        "Feeling low after having a baby (BSL video)",
        Format.VIDEO,
        ["depression"],
        "The leaflet in British Sign Language, with subtitles.",
        _body("A Deaf mum from our group signs the leaflet. The video has subtitles and a transcript."),
        [NHS_PND],
        language=Language.BSL,
        plan="draft",
        original="Feeling low after having a baby",
    ),
    Demo(
        "Anxiety and intrusive thoughts about your baby",
        Format.LEAFLET,
        ["anxiety"],
        "Frightening thoughts about your baby being harmed are common and do not mean you will act on them.",
        "",
        [],
        plan="idea",
    ),
    Demo(
        "Our old welcome leaflet",
        Format.LEAFLET,
        ["the-service"],
        "Replaced by “Your first appointment with the perinatal team”.",
        _body("This leaflet has been replaced. Please read the new one."),
        [],
        audience=Audience.EVERYONE,
        plan="archived",
    ),
]

QUESTIONS = [
    "Is the language clear and kind?",
    "Is anything missing?",
    "Could anything upset someone who has been through this?",
]

FEEDBACK = [
    ("", "I liked that it says bonding can take time. I wish I had read this when my son was born.", "changed", ""),
    (
        "That is normal, and it does not mean anything is wrong",
        "Maybe say 'lots of parents' here too. 'Normal' can feel like a judgement.",
        "changed_differently",
        "We changed it to 'this happens to lots of parents' in the first line instead.",
    ),
    (
        "feel frightened of being alone with them",
        "This line is important but it scared me a bit. Could it say what help looks like?",
        "not_changed",
        "We kept it because other members said it helped them ask for help. We added a line under it about what "
        "happens next.",
    ),
]


def _source_rows(resource: Resource, sources) -> None:
    for order, (title, publisher, url) in enumerate(sources, start=1):
        Source.objects.get_or_create(
            resource=resource, title=title, defaults={"publisher": publisher, "url": url, "order": order}
        )


def _publish(resource: Resource, *, coordinator, months_ago: int, note: str = "") -> None:
    """Publishes the resource as if it had been published ``months_ago``: the review date is set
    from that day (the version keeps its real publishing time for the record)."""
    if resource.status not in (Resource.Status.APPROVED, Resource.Status.DUE_FOR_REVIEW):
        services.move_resource(resource=resource, to=Resource.Status.DRAFT)
        services.move_resource(resource=resource, to=Resource.Status.APPROVED)
    version = services.publish_resource(resource=resource, by=coordinator, change_note=note)
    if months_ago:
        published = timezone.now() - dt.timedelta(days=30 * months_ago)
        due = services.review_due_date(timezone.localdate(published))
        version.published_at = published
        version.review_due_on = due
        version.save(update_fields=["published_at", "review_due_on"])
        dates = {"last_reviewed_on": timezone.localdate(published), "review_due_on": due}
        if version.number == 1:
            # A later version leaves the first publishing date as it was.
            dates["first_published_at"] = published
        Resource.objects.filter(pk=resource.pk).update(**dates)
    resource.refresh_from_db()


def _members() -> list[Member]:
    return list(
        Member.objects.filter(status=Member.Status.ACTIVE, erased_at__isnull=True).select_related("user").order_by("pk")
    )


def _credit(resource: Resource, members: list[Member], count: int, *, named_first: bool = False) -> None:
    for index, member in enumerate(members[:count]):
        credit = services.add_credit(
            resource=resource, member=member, role=Credit.Role.CO_WROTE if index == 0 else Credit.Role.REVIEWED
        )
        if named_first and index == 0 and not credit.named:
            services.set_credit_preference(credit=credit, named=True, credited_as=member.user.name.split(" ")[0])


def _review(resource: Resource, *, coordinator, members: list[Member]) -> None:
    round_ = services.start_review_round(
        resource=resource,
        questions=QUESTIONS,
        deadline=timezone.now() + dt.timedelta(days=10),
        members=members[:5],
        by=coordinator,
        introduction="Please look at the tone above all: would this feel kind to read on a bad day?",
    )
    invitations = list(round_.invitations.order_by("pk"))
    for invitation, (quote, comment, _response, _reason) in zip(invitations[:3], FEEDBACK, strict=False):
        services.submit_feedback(
            invitation=invitation,
            ratings={1: "mostly", 2: "yes", 3: "mostly" if quote else "yes"},
            overall="" if quote else comment,
            quote=quote,
            comment=comment if quote else "",
        )
    for point in ReviewFeedback.objects.filter(round=round_).order_by("pk")[:2]:
        match = next(item for item in FEEDBACK if item[1] == point.comment)
        services.respond_to_feedback(feedback=point, response=match[2], reason=match[3], by=coordinator)


def _reach_and_feedback(resource: Resource, index: int) -> None:
    today = timezone.localdate().replace(day=1)
    for months_back in range(3):
        month = (today - dt.timedelta(days=28 * months_back)).replace(day=1)
        ResourceReach.objects.get_or_create(
            resource=resource,
            month=month,
            defaults={"views": 40 + (index * 17) % 90, "downloads": 5 + (index * 7) % 30},
        )
    if index % 3 == 0:
        services.give_reader_feedback(resource=resource, useful="yes")
    if index % 5 == 1:
        services.give_reader_feedback(
            resource=resource, useful="partly", missing="It would help to have the phone number on the front."
        )


@transaction.atomic
def seed_library() -> int:
    """Creates the demo library. Returns how many resources were made this time."""
    coordinator = User.objects.filter(groups__name=COORDINATORS).order_by("pk").first()
    members = _members()
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    made: dict[str, Resource] = {resource.title: resource for resource in Resource.objects.all()}
    created = 0
    for index, demo in enumerate(RESOURCES):
        if demo.title in made:
            continue
        status = Resource.Status.IDEA if demo.plan == "idea" else Resource.Status.DRAFT
        resource = services.create_resource(
            title=demo.title,
            status=status,
            format=demo.format,
            language=demo.language,
            audience=demo.audience,
            summary=demo.summary,
            # A large print version has the same words as the leaflet it enlarges.
            body=demo.body or (made[demo.original].body if demo.original in made else ""),
            topics=[topics[slug] for slug in demo.topics if slug in topics],
            original=made.get(demo.original),
            why_needed="Members asked for it at a group meeting."
            if index % 2
            else "Requested by the service's clinicians.",
        )
        made[demo.title] = resource
        created += 1
        _source_rows(resource, demo.sources)
        if demo.plan in ("published", "due", "overdue", "revised", "archived"):
            _credit(resource, members, 2 + index % 4, named_first=index % 3 == 0)
            months = {"due": 23, "overdue": 26, "revised": 20}.get(demo.plan, index % 12)
            _publish(resource, coordinator=coordinator, months_ago=months)
            if demo.plan == "revised":
                services.move_resource(resource=resource, to=Resource.Status.DRAFT)
                resource.refresh_from_db()
                resource.body += (
                    P + "# If you cannot come\nCall us to change the time. We will not close your referral."
                )
                services.save_resource(resource=resource)
                _publish(resource, coordinator=coordinator, months_ago=2, note="Added what to do if you cannot come.")
            if demo.plan == "archived":
                services.move_resource(resource=resource, to=Resource.Status.ARCHIVED)
            else:
                _reach_and_feedback(resource, index)
        elif demo.plan == "review" and members:
            _review(resource, coordinator=coordinator, members=members)
    services.mark_due_for_review()
    return created
