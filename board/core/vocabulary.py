"""What each built-in category means, as the words people use for it (`categorise.py`).

A taxonomy's own examples and keywords (`taxonomies.py`) are the methods its source lists; a
note in a participant's own words rarely names them ("flyers through every door", not
"Leaflets & written documentation"). These vocabularies are written from each category's
definition and from the methods practitioners use for it (the Wakefield continuum, the
Co-production Network for Wales spectrum, Arnstein's ladder, the IAP2 spectrum), in English and
Welsh, so that a note is matched by what it describes:

- `strong`: a method or act that belongs to this category and hardly any other of the same
  taxonomy ("leaflet", "door knocking", "participatory budgeting"), weight 1;
- `medium`: a word that leans this way without settling it ("tell", "ask", "fund"), weight
  `MEDIUM`, so that two of them, or one with a strong term, make a suggestion.

A phrase matches when all its words are in the note, in any order and after word forms are
brought together (English stems, Welsh mutations folded), so "residents decide" also matches
"the decision was the residents'". When one matched phrase is part of a longer matched one,
only the longer counts ("citizens' panel" is not also a "panel").

Vocabularies are written from meanings, not from any test set: a word goes in because a
practitioner would put that method or act in that category. A word that two categories of one
taxonomy share equally is left out of both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

MEDIUM: Final = 0.5
"""Weight of a `medium` word, against 1 for a `strong` one."""


@dataclass(frozen=True, slots=True)
class Words:
    strong: tuple[str, ...]
    medium: tuple[str, ...] = ()


def _w(strong: str, medium: str = "") -> Words:
    """Phrases separated by commas (one phrase may have several words)."""
    return Words(_split(strong), _split(medium))


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


# --- Wakefield continuum ------------------------------------------------------------------------

WAKEFIELD_WORDS: Final[Mapping[str, Words]] = {
    "giving_information": _w(
        # Told to all: every household, and a council's page.
        "letter to all households, all households, every household, pob cartref, on facebook, "
        "council facebook, councils facebook, "
        "article, open day, information day, information event, radio advert, local radio advert, "
        "tv advert, mailing list, e-bulletin, flyering, info pack, welcome pack, shop window, "
        "bus stop advert, erthygl, diwrnod agored, sioe deithiol, cyhoeddusrwydd, radio lleol, "
        "leaflet, leafleting, flyer, poster, newsletter, bulletin, noticeboard, notice board, banner, "
        "billboard, advert, advertisement, press release, newspaper, local paper, magazine, website, "
        "web page, webpage, social media post, facebook post, facebook page, tweet, instagram, "
        "mailshot, "
        "letter drop, letter to every household, through the door, letterbox, text message, text alert, "
        "sms, email update, e-newsletter, annual report, publication, brochure, booklet, fact sheet, "
        "factsheet, information stand, information stall, stall, display, exhibition, roadshow, "
        "video, podcast, announcement, briefing, information pack, signage, plaque, "
        "taflen, taflenni, poster, posteri, cylchlythyr, bwletin, hysbysfwrdd, hysbyseb, hysbysebion, "
        "datganiad wasg, papur newydd, papur bro, gwefan, tudalen we, neges destun, negeseuon testun, "
        "adroddiad blynyddol, arddangosfa, stondin, cyhoeddiad, llyfryn, fideo, llythyr pob cartref, "
        "llythyr bob cartref",
        "tell, explain, inform, update, publicise, promote, advertise, announce, circulate, distribute, "
        "hand out, delivered, publish, let people know, keep informed, awareness, letter, email, "
        "dweud, esbonio, egluro, hysbysu, rhoi gwybod, dosbarthu, cyhoeddi, llythyr, e-bost"
        ", showed, show, info, launch, campaign, gwybodaeth, dangos",
    ),
    "getting_information": _w(
        # Asked how it went, at the desk.
        "how was your visit, how was your stay, how did we do, rate your visit, rate us, "
        "sut oedd eich ymweliad, "
        # Asking one person at a time, or on paper to send back. (Not "people's panel": "young
        # people on the interview panel" would match it.)
        "mp surgery, ms surgery, surgery with the mp, reply slip, tear-off slip, freepost, send back, "
        "sent back, cymhorthfa'r aelod, slip ateb, "
        "knocking on doors, knocked on doors, "
        "comments book, visitor book, comment wall, graffiti wall, post-it wall, evaluation form, "
        "exit survey, phone survey, online poll, census, monitoring, star rating, consultation, "
        "public consultation, ffurflen ar-lein, cardiau sylwadau, wal sylwadau, gwerthusiad, "
        "pleidlais barn, "
        "survey, questionnaire, opinion poll, poll, online form, feedback form, comment card, "
        "comments box, suggestion box, suggestions box, interview, one-to-one, "
        "door knocking, door-knocking, doorstep, vox pop, phone-in, "
        "advice surgery, councillor surgery, ward surgery, drop-in surgery, advice session, "
        "residents panel, citizens panel, "
        "audit, market research, complaint, compliment, feedback, have your say, "
        "rate, rating, tick box, data collection, collect views, gather views, "
        "arolwg, arolygon, holiadur, holiaduron, pol piniwn, ffurflen, ffurflen adborth, "
        "cerdyn sylwadau, blwch awgrymiadau, cyfweliad, cyfweliadau, curo drysau, "
        "cymhorthfa, panel dinasyddion, panel trigolion, archwiliad, ymchwil marchnad, "
        "cwyn, cwynion, canmoliaeth, adborth, casglu barn",
        "ask, asked, question, view, opinion, comment, respond, response, find out, collect, gather, "
        "record, score, gofyn, holi, barn, sylwadau, casglu, ymateb"
        ", views, what people think, data, count, evaluation, find out, cwestiynau, ymgynghori"
        ", rang, phoned, phone call, ffonio",
    ),
    "forums_for_debate": _w(
        # Questions put to those in charge, face to face.
        "question and answer, questions and answers, question time, hustings, sesiwn holi ac ateb, "
        "holi ac ateb, "
        "qa, "
        "community forum, residents forum, youth forum, panel debate, conversation cafe, "
        "community conversation, open evening, agm, annual general meeting, facebook group, "
        "whatsapp group, online discussion, zoom call, teams call, noson agored, fforwm ieuenctid, "
        "fforwm trigolion, cyfarfod agored, caffi sgwrsio, dadl gyhoeddus, grwp trafod, "
        "focus group, public meeting, town hall, community meeting, residents meeting, tenants meeting, "
        "open meeting, seminar, webinar, conference, stakeholder event, stakeholder workshop, debate, "
        "discussion, discussion group, forum, round table, roundtable, world cafe, "
        "questions and answers, "
        "question time, "
        "hustings, panel discussion, meeting with groups, client group, online forum, message board, "
        "blog, group conversation, "
        "grwp ffocws, grwpiau ffocws, cyfarfod cyhoeddus, cyfarfod cymunedol, cyfarfod trigolion, "
        "cyfarfod tenantiaid, gweminar, cynhadledd, digwyddiad rhanddeiliaid, dadl, trafodaeth, "
        "trafodaethau, fforwm, bord gron, blog, cwestiwn ateb, sesiwn holi ac ateb",
        "meeting, talk, conversation, discuss, chat, hear each other, argue, views, debate, evening, "
        "cyfarfod, trafod, sgwrs, sgyrsiau, siarad"
        ", questions, hall, evening, talks, dadlau",
    ),
    "participation": _w(
        "cyfweld ymgeiswyr, cyfweld am swydd, "
        "co-produced, co-produce, co-designed, cyd-gynhyrchwyd, "
        # Taking an active part in shaping what happens.
        "helped design, help design, helped shape, help shape, helpu dylunio, helpu llunio, "
        # Helping to choose is choosing beside the organisation, not the community's own say.
        "helped choose, help choose, helped pick, help pick, helped decide, help decide, "
        "helped write, helped plan, helped draw up, helpu dewis, helpu penderfynu, helpu cynllunio, "
        "interview candidates, interviewed candidates, recruitment of staff, young recruiters, "
        "planning workshop, design day, community mapping, model making, photography project, "
        "inspection, inspect, ride along, experts by experience, interview panel, recruitment panel, "
        "selection panel, theatre, drama, participatory video, user testing, gweithdy dylunio, arolygu, "
        "panel cyfweld, panel recriwtio, arbenigwyr drwy brofiad, "
        "citizens jury, citizen jury, citizens assembly, people assembly, expert panel, shadowing, "
        "shadow, mystery shopping, mystery shopper, storytelling, story telling, e-panel, online panel, "
        "co-design, co-production, codesign, coproduction, design workshop, young inspectors, "
        "tenant inspector, inspector, peer review, lived experience, photovoice, photo voice, "
        "walkabout, walk round, walking tour, walked the route, tell their story, site visit, "
        "test the service, user testing, try out, "
        "service user panel, "
        "rheithgor dinasyddion, cynulliad dinasyddion, panel arbenigol, cysgodi, siopa cudd, "
        "siopwr cudd, siopwyr cudd, adrodd straeon, straeon, cyd-ddylunio, cyd-gynhyrchu, "
        "profiad bywyd, cymryd rhan, taith gerdded, arolygwyr ifanc",
        "workshop, shape, shaping, take part, involved, test, visit, experience, role play, "
        "design, "
        "gweithdy, gweithdai, llunio, profi, ymweliad, dylunio"
        ", review, evaluate, pilot, art, film, photo, walk, service user, adolygu, celf, ffilm, cerdded"
        ", hands-on"
        ", story, stories"
        ", stori",
    ),
    "partnership": _w(
        "multi-agency, consortium, collaborative, public services board, local strategic partnership, "
        "partnership agreement, compact, charter, bwrdd gwasanaethau cyhoeddus, amlasiantaethol, "
        "cytundeb partneriaeth, cynghrair, consortiwm, cyd-bwyllgor, "
        "partnership, partnership board, steering group, steering committee, advisory group, "
        "scrutiny committee, overview and scrutiny, scrutiny, involvement network, network, "
        "large group process, open space, future search, joint committee, working group, task group, "
        "task and finish group, liaison group, stakeholder group, alliance, strategic group, "
        "reference group, residents association, tenants association, board member, seat on board, "
        "seat at table, standing group, "
        "partneriaeth, partneriaethau, bwrdd partneriaeth, grwp llywio, pwyllgor llywio, grwp cynghori, "
        "pwyllgor craffu, craffu, rhwydwaith, rhwydweithiau, gweithgor, grwp gorchwyl, "
        "cymdeithas trigolion, cymdeithas tenantiaid, sedd bwrdd",
        "together, jointly, joint, alongside, regular, monthly, quarterly, every month, represent, "
        "representative, member, committee, board, plan together, "
        "ar cyd, gilydd, cynrychiolydd, cynrychiolwyr, aelod, aelodau, pwyllgor, bwrdd, misol, "
        "rheolaidd"
        ", agencies, organisations, sefydliadau, asiantaethau",
    ),
    "empowerment": _w(
        # Who leads or runs it, said outright: 'run' or 'led' alone is any session's organiser.
        "led by residents, resident-led, youth-led, led by young people, run by volunteers, volunteer-run, "
        "run it ourselves, dan arweiniad trigolion, "
        "grassroots, self-organised, run it themselves, handed over, community buyout, "
        "community energy, "
        "time bank, mutual aid, crowdfunding, community fund, micro grants, community organising, "
        "community organiser, leadership programme, capacity building, llawr gwlad, "
        "cymorth cydfuddiannol, banc amser, prynu cymunedol, arweinwyr cymunedol, ynni cymunedol, "
        "participatory budgeting, community budget, devolved budget, delegated budget, "
        "community development, participatory research, community researcher, peer researcher, "
        "planning for real, community champion, champion, ambassador, community asset transfer, "
        "asset transfer, community-led, community led, community run, run by residents, "
        "residents decide, residents chose, tenants chose, young people chose, community owned, "
        "community ownership, cooperative, co-op, social enterprise, community trust, grant panel, "
        "community chest, small grants, self-help group, set up their own, their own group, "
        "took over, neighbourhood plan, residents vote, vote on funding, "
        "cyllidebu cyfranogol, cyllideb gymunedol, cyllideb cymunedol, datblygu cymunedol, "
        "ymchwil cyfranogol, ymchwilydd cymunedol, ymchwilwyr cymunedol, hyrwyddwr cymunedol, "
        "hyrwyddwyr, hyrwyddwr, llysgennad, llysgenhadon, trosglwyddo asedau, arwain gan cymuned, "
        "perchnogaeth gymunedol, menter gymdeithasol, menter gydweithredol, cwmni cydweithredol, "
        "ymddiriedolaeth gymunedol, grantiau bach, trigolion penderfynu, trigolion dewis, "
        "pobl ifanc dewis",
        "decide, choose, vote, fund, funding, grant, money, budget, own, control, manage, "
        "volunteer, trained, power, priorities, spend, "
        "penderfynu, dewis, dewison, pleidleisio, arian, cronfa, grant, rheoli, rhedeg, arwain, "
        "gwirfoddolwyr, gwirfoddoli, hyfforddi, gwario"
        ", themselves, leadership, mentoring, skills, hunain, arweinwyr, sgiliau",
    ),
}

# --- Co-production spectrum ---------------------------------------------------------------------

COPRODUCTION_WORDS: Final[Mapping[str, Words]] = {
    "coercion": _w(
        # Done to people without their say.
        "no choice, had no choice, without our say, against his will, against her will, "
        "against their will, sectioned, mental health act, served a notice, served with a notice, "
        "enforcement notice, dim dewis, yn erbyn ei ewyllys, "
        "pcso, pcsos, swyddog cymorth cymunedol, "
        # Action taken on people whether they agree or not.
        "taken to court, take to court, court action, court case, compulsory purchase, clamp, "
        "mynd i'r llys, "
        "parking ticket, penalty, fines, enforce, enforced, arrest, arrested, dispersal order, curfew, "
        "clamped, towed, tocyn parcio, arestio, cyrffyw, "
        "enforcement, fixed penalty, penalty notice, court order, prosecution, prosecute, eviction, "
        "evicted, enforcement officer, criminal justice, police, ban, banned, compulsory, mandatory, "
        "sanction, injunction, asbo, warrant, forced, legal action, fined, "
        "gorfodaeth, gorfodi, dirwy, dirwyon, hysbysiad cosb, gorchymyn llys, erlyn, troi allan, "
        "heddlu, cyfiawnder troseddol, gwahardd, gwaharddiad, gorfodol, cosb",
        "must, fine, rule, law, order, duty, punish, gorchymyn, rheol, cyfraith, dyletswydd"
        ", ticket, wardens, warden"
        ", court, no say, llys",
    ),
    "protection": _w(
        "welfare visit, welfare visits, ymweliad lles, "
        # Who steps in, and what makes them (the definition: stepping in to keep people safe).
        "social services, gwasanaethau cymdeithasol, "
        "safeguard, at-risk, shelter, crisis team, emergency housing, smoke alarm, carbon monoxide, "
        "rough sleeper outreach, tim argyfwng, larwm mwg, "
        "safeguarding, child protection, adult protection, welfare check, vulnerable, "
        "risk assessment, keep safe, keeping safe, refuge, domestic abuse, social worker, "
        "wellbeing check, safety check, fire safety, protect, protection, crisis support, crisis line, "
        "diogelu, amddiffyn, amddiffyn plant, mewn perygl, bregus, gwiriad lles, argyfwng, "
        "cam-drin domestig, gweithiwr cymdeithasol, gweithwyr cymdeithasol, asesiad risg, lloches",
        "safe, safety, risk, harm, danger, diogel, diogelwch, perygl, niwed"
        ", check on, checks, welfare, gwiriad, lles"
        ", home visit"
        ", raised concerns, safeguarding concern, camu i mewn, codi pryderon"
        ", emergency, crisis",
    ),
    "education": _w(
        # Teaching how to do something: a talk or workshop that teaches is Education, not listening.
        "how to use, how to cook, how to spot, how to stay safe, how to look after, health talk, "
        "sexual health, sut i ddefnyddio, sgwrs iechyd, "
        # Classes and talks as people name them: teaching what the organisation thinks people need.
        "parenting course, parenting class, parenting programme, cookery class, cooking class, "
        "cookery course, first aid, assembly talk, school assembly, spot the signs, how to spot, "
        "online safety, road safety, digital skills, money management, budgeting skills, "
        "dosbarth coginio, cymorth cyntaf, diogelwch ar-lein, diogelwch ffyrdd, "
        "teaching session, schools programme, awareness training, information session on how, "
        "gweithdy dysgu, sesiwn hyfforddi, rhaglen ysgolion, "
        "training course, classes, lesson, teaching, school visit, school talk, "
        "awareness session, training, education programme, health education, learning session, "
        "lecture, tutorial, teach, taught, skills session, first aid course, "
        "addysg, cwrs, cyrsiau, dosbarth, dosbarthiadau, gwers, gwersi, hyfforddiant, dysgu, addysgu, "
        "sesiwn ymwybyddiaeth, darlith",
        "course, class, learn, school, pupils, students, awareness, skill, know, "
        "ysgol, disgyblion, myfyrwyr, sgiliau"
        ", teach, training, hyfforddi"
        ", rhianta",
    ),
    "persuasion": _w(
        # The behaviour a message wants changed, and urging it: what makes a poster Persuasion.
        "anti-litter, litter campaign, anti-idling, idling, urge, urging, speed awareness, slow down, "
        "drink driving, drink drive, get vaccinated, health message, health messages, "
        "public health campaign, stoptober, dry january, five a day, 5 a day, get active, cut down, "
        "pick up after, ymgyrch iechyd, negeseuon iechyd, "
        "pledge, vouchers, prize draw, marketing, advert, adverts, advertising, "
        "change habits, addewid, talebau, gwobrau, hysbyseb, hysbysebion, "
        "campaign, behaviour change, nudge, stop smoking, smoking cessation, quit smoking, persuade, "
        "incentive, reward, promote healthy, get people to, encourage people, encouraging people, "
        "recycling campaign, healthy eating, slogan, "
        "ymgyrch, ymgyrchoedd, perswadio, newid ymddygiad, rhoi gorau ysmygu, cymhelliant, gwobr, "
        "annog pobl",
        "encourage, convince, promote, healthier, annog, newid, hyrwyddo"
        ", challenge, promote, campaigning, messages, negeseuon"
        ", vaccination, vaccine, immunisation, jab, screening, uptake, litter, annog, brechlyn",
    ),
    "information": _w(
        # Where to find things out: the organisation telling people what is there.
        "phone line, information line, advice line, directory, signposting, signpost, "
        "llinell ffôn, cyfeiriadur, "
        "facebook page, facebook, twitter, instagram, tiktok, whatsapp, "
        "website, web page, bin collection, leaflet, newsletter, poster, noticeboard, notice board, "
        "press release, social media, information, app, text alert, text message, letter, email, "
        "fact sheet, factsheet, guide, signage, timetable, helpline, radio, newspaper, "
        "gwefan, casglu biniau, taflen, taflenni, cylchlythyr, poster, hysbysfwrdd, "
        "datganiad wasg, cyfryngau cymdeithasol, gwybodaeth, ap, neges destun, llythyr, e-bost, "
        "canllaw, arwyddion, amserlen, llinell gymorth, papur newydd",
        "tell, explain, update, publish, know, dweud, esbonio, diweddaru, cyhoeddi",
    ),
    "consultation": _w(
        "what people think, what they think, what residents think, "
        "consultation event, vote on options, preferred option, draft plan, proposals, opsiynau, "
        "cynigion, cynllun drafft, "
        "survey, questionnaire, poll, consultation, feedback form, planning application, "
        "have your say, fixmystreet, fix my street, report a problem, online map, "
        "crowdsourcing, crowdsourced, pin on map, public consultation, formal consultation, "
        "comment, comments, response form, online form, "
        "arolwg, arolygon, holiadur, holiaduron, ymgynghoriad, ymgynghori, cais cynllunio, "
        "ffurflen, sylwadau, map ar-lein, rhoi gwybod am broblem",
        "ask, asked, question, opinion, views, feedback, collect data, gofyn, barn, adborth, data"
        ", options, draft, respond, response, rate, drafft, ymateb",
    ),
    "participation": _w(
        "rhannu profiadau, rhannu ein profiadau, "
        # Lived experience, told to inform the organisation's thinking.
        "what it's like, what it was like, what its like, what life is like, sut beth yw, "
        "user group, reference group, experience panel, tell their story, panel defnyddwyr, "
        "grwp defnyddwyr, "
        "drop-in, dropin, focus group, listening event, lived experience, user panel, "
        "service user group, community conversation, listening, stories, story, "
        "open session, coffee morning, listening session, "
        "sesiwn galw heibio, galw heibio, grwp ffocws, digwyddiad gwrando, profiad bywyd, gwrando, "
        "straeon, stori, bore coffi, sgwrs gymunedol",
        "listen, experience, conversation, talk, discussion, workshop, share, "
        "profiad, sgwrs, trafodaeth, gweithdy, rhannu"
        ", hear, chat, visit, clywed"
        ", profiadau",
    ),
    "co_production": _w(
        # Equal power in the decision, however it is put.
        "as much say, same say, equal weight, counted equally, cymaint o lais, "
        "co-deliver, co-delivered, co-produce, peer-led, run together, design together, "
        "staff and residents together, people who use the service, cyd-ddarparu, cyd-redeg, "
        "co-production, co-design, co-produced, codesign, coproduction, co-designed, person-centred, "
        "person centred, shared decision, equal partners, designed together, "
        "equal say, equal power, shared power, co-chair, co-chaired, decide together, "
        "decided together, together as equals, as equals, "
        "cyd-gynhyrchu, cyd-ddylunio, cyd-gadeirio, partneriaid cyfartal, grym cyfartal, "
        "penderfynu ar cyd, penderfynu gyda gilydd, fel partneriaid, llais cyfartal, cyfartal",
        "together, jointly, alongside, equal, partner, partners, with us, "
        "gyda gilydd, ar cyd, partner, partneriaid"
        ", shared, sharing, both, rhannu, staff",
    ),
}

# --- Arnstein's ladder --------------------------------------------------------------------------

ARNSTEIN_WORDS: Final[Mapping[str, Words]] = {
    "manipulation": _w(
        # Selling, not asking.
        "sales pitch, sell the scheme, sell it to us, selling it to us, so called consultation, "
        "so-called consultation, so called engagement, without explaining, our faces on, "
        "used our photos, used our faces, i werthu, gwerthu'r cynllun, "
        # Taking part used to show support, not to hear: how people describe it afterwards.
        "make it look, made it look, so they could say, say they consulted, say they had consulted, "
        "lip service, going through the motions, minds made up, mind made up, made up their minds, "
        "decided before, decision made before, stacked, win us over, won us over, er mwyn dweud, "
        "wedi penderfynu cyn, "
        "pr stunt, pr exercise, "
        "decision already taken, foregone conclusion, just for show, publicity stunt, greenwash, "
        "tokenistic, box-ticking, penderfyniad wedi'i wneud, er mwyn sioe, "
        "rubber stamp, rubber-stamp, pr exercise, public relations, box ticking, tick box exercise, "
        "ticking boxes, already decided, decision already made, done deal, sell the plan, "
        "win support, spin, sham, fake consultation, window dressing, photo opportunity, "
        "photo op, "
        "stamp rwber, ymarfer cysylltiadau cyhoeddus, eisoes wedi penderfynu, ticio blychau, ffug, "
        "sioe, er mwyn dangos",
        "convince, persuade, sell, token, propaganda, perswadio, darbwyllo, gwerthu"
        ", glossy, already, stunt, eisoes, yn barod"
        ", justify, legitimise, cyfiawnhau"
        ", promo, publicity, cyhoeddusrwydd",
    ),
    "therapy": _w(
        # Our objections treated as the problem.
        "get over our objections, get over it, fix us, trying to fix us, change our minds about, "
        "help us accept, dod dros ein gwrthwynebiad, "
        # People's reaction treated as the thing to be treated, not as a voice.
        "wellbeing session, wellbeing course, wellbeing workshop, stress management, "
        "manage expectations, managing expectations, come to terms, help us cope, calm us down, "
        "calm down, sesiwn lles, rheoli straen, "
        "resilience course, coping skills, self-help course, change their attitude, mindfulness, "
        "cwrs gwytnwch, "
        "therapy, group therapy, counselling, support group, cure, fix their attitude, "
        "anger management, self-esteem, coping, treat, treated, "
        "therapi, cwnsela, grwp cymorth",
        "attitude, adjust, behaviour, problem people, agwedd, ymddygiad"
        ", fix, problem, resilience, angry, grac"
        ", stress, stressed, emotional, accept, expectations, straen"
        ", trin",
    ),
    "informing": _w(
        "facebook page, facebook post, twitter, instagram, "
        "information only, no chance to comment, no way to comment, announcement, newsletter, briefing, "
        "cyhoeddiad, dim cyfle i wneud sylwadau, "
        "leaflet, poster, newsletter, website, pamphlet, public notice, notice, press release, "
        "presentation, briefing, one way, rights, responsibilities, exhibition, display, social media, "
        "letter, email, fact sheet, "
        "taflen, taflenni, poster, cylchlythyr, gwefan, hysbysiad cyhoeddus, hysbysiad, "
        "datganiad wasg, cyflwyniad, arddangosfa, hawliau, cyfrifoldebau, llythyr, e-bost",
        "tell, told, explain, inform, information, update, dweud, esbonio, gwybodaeth, hysbysu"
        ", announce, leaflets, posters, cyhoeddi, show, showed, showing, launch, dangos",
    ),
    "consultation": _w(
        # Heard, with no promise of what follows.
        "promised nothing, no promises, nothing promised, no guarantee, no commitment, dim addewid, "
        "dim addewidion, "
        "what people think, what they think, what residents think, "
        "listening exercise, opinion survey, focus group, consultation event, ymarfer gwrando, "
        "grwp ffocws, "
        "survey, questionnaire, public meeting, public hearing, consultation, poll, "
        "feedback, comments, attitude survey, neighbourhood meeting, views sought, have your say, "
        "feedback form, "
        "arolwg, arolygon, holiadur, holiaduron, cyfarfod cyhoeddus, gwrandawiad, ymgynghoriad, "
        "adborth, sylwadau",
        "ask, asked, opinion, views, question, gofyn, barn, cwestiwn, prefer, views, listen, gwrando, dewis",
    ),
    "placation": _w(
        "outnumbered, one tenant, two tenants, a couple of tenants, un tenant, dau denant, "
        "dim pleidlais, heb hawl i bleidleisio, "
        # A seat without the power: the others still decide.
        "still decide, still decides, no real say, no real power, outvoted, out voted, "
        "only there to advise, dal i benderfynu, dim llais go iawn, "
        "no vote, seat but no vote, only advise, can only advise, a few residents, one resident, reps, "
        "heb bleidlais, cynghori yn unig, ychydig o drigolion, "
        "advisory board, advisory committee, advisory panel, advisory group, co-opted, co-opt, "
        "hand-picked, handpicked, token resident, community representative, sounding board, "
        "advice only, only advise, residents on the board, two residents, one resident, "
        "a few residents, nominated, "
        "bwrdd cynghori, pwyllgor cynghori, panel cynghori, grwp cynghori, cyfethol, "
        "cynrychiolydd cymunedol, dewis llaw, cynghori yn unig",
        "advise, advisory, representative, seat, committee, ambell, cynghori, cynrychiolydd, sedd, "
        "pwyllgor"
        ", ignored, token, few, handful, anwybyddu"
        ", advice",
    ),
    "partnership": _w(
        # Power split down the middle.
        "half residents, half officers, equal numbers, shared committee, joint committee, "
        "hanner trigolion, pwyllgor ar y cyd, "
        "co-produced, co-produce, cyd-gynhyrchwyd, "
        # Power shared: neither side decides alone.
        "equal numbers, equal representation, decisions by agreement, decided by agreement, "
        "nifer cyfartal, drwy gytundeb, "
        "co-chaired, both sides, equal votes, shared decision, joint decision, partners, co-chair, "
        "cyd-gadeirio, y ddwy ochr, pleidleisiau cyfartal, "
        "partnership, joint board, joint committee, joint planning committee, shared power, "
        "negotiate, negotiation, negotiated, co-production, co-design, agreed together, "
        "dispute resolution, equal say, jointly, partners, share decisions, shared decisions, "
        "partneriaeth, bwrdd ar cyd, pwyllgor ar cyd, negodi, grym a rennir, cyd-ddylunio, "
        "cyd-gynhyrchu, partneriaid, cytuno gyda gilydd, rhannu penderfyniadau",
        "together, joint, share, agree, gilydd, rhannu, cytuno, equal, agreed, cyfartal, cytuno",
    ),
    "delegated_power": _w(
        # Holding most of the say over a plan or a pot of money.
        "most of the votes, most votes, majority of votes, majority on the panel, "
        "mwyafrif y pleidleisiau, "
        "control the budget, hand over decisions, residents decide, most seats, final say, "
        "rheoli'r gyllideb, trigolion yn penderfynu, gair olaf, "
        "delegated power, delegated budget, devolved budget, participatory budgeting, "
        "majority of seats, residents majority, majority residents, authority over, veto, "
        "delegated, devolved, most of the seats, "
        "pwer dirprwyedig, cyllideb ddirprwyedig, cyllideb ddatganoledig, cyllidebu cyfranogol, "
        "mwyafrif, feto, datganoli, dirprwyo",
        "majority, budget, authority, decide, money, spend, cyllideb, awdurdod, penderfynu, arian"
        ", control, hold, majority, rheoli"
        ", fund, grant, cronfa, grantiau",
    ),
    "citizen_control": _w(
        # The community's own money and staff.
        "runs its own, run its own, hires its own, employs its own, themselves including, "
        "manage the estate themselves, y gymuned sy'n rhedeg, eu cyllideb eu hunain, "
        # Who runs it, said outright: 'ran' alone is the council running a session.
        "run by residents, run by volunteers, volunteer-run, run it themselves, run it ourselves, "
        "run by local people, rhedeg gan drigolion, rhedeg gan wirfoddolwyr, "
        "community business, self-governing, run entirely, community-owned, busnes cymunedol, "
        "hunanlywodraethu, yn berchen, "
        "citizen control, community ownership, community owned, community asset transfer, "
        "community trust, cooperative, co-op, residents run, tenant management organisation, "
        "community land trust, run by the community, self-managed, community-run, community run, "
        "community enterprise, took over, "
        "rheolaeth gan ddinasyddion, perchnogaeth gymunedol, eiddo cymuned, trosglwyddo asedau, "
        "ymddiriedolaeth gymunedol, menter gymunedol, cwmni cydweithredol, menter gydweithredol, "
        "rhedeg gan cymuned",
        "own, owned by, bought, manage, control, govern, prynu, perchen, rhedeg, rheoli"
        ", bought, buy, owns, prynu, perchen",
    ),
}

# --- IAP2 spectrum ------------------------------------------------------------------------------

IAP2_WORDS: Final[Mapping[str, Words]] = {
    "inform": _w(
        "facebook page, facebook post, twitter, instagram, "
        "open day, information day, animation, information boards, info boards, map of the works, "
        "diwrnod agored, byrddau gwybodaeth, "
        "fact sheet, factsheet, website, open house, leaflet, newsletter, exhibition, briefing, "
        "press release, poster, letter, presentation, display, video, social media post, "
        "public notice, noticeboard, "
        "taflen, taflenni, gwefan, cylchlythyr, arddangosfa, sesiwn friffio, llythyr, cyflwyniad, "
        "hysbysfwrdd, fideo, posteri",
        "tell, explain, inform, information, update, understand, dweud, esbonio, gwybodaeth, deall"
        ", show, showing, explain, updates, dangos",
    ),
    "consult": _w(
        # Options put in order, then the organisation decides.
        "rank the options, ranked the options, rank options, put the options in order, "
        "then they decided, rhoi'r opsiynau mewn trefn, "
        "what people think, what they think, what residents think, "
        "consultation event, listening exercise, opinion survey, reactions, ymateb, adborth ar, "
        "survey, questionnaire, focus group, public comment, comments, public meeting, consultation, "
        "feedback, poll, have your say, response, public hearing, feedback form, comment card, "
        "arolwg, arolygon, holiadur, holiaduron, grwp ffocws, sylwadau, adborth, ymgynghoriad, "
        "cyfarfod cyhoeddus",
        "ask, asked, opinion, views, question, react, gofyn, barn, cwestiwn"
        ", draft, proposals, react, reactions, drafft, cynigion",
    ),
    "involve": _w(
        # Shown how what people said changed things, round after round.
        "what they'd changed, what they had changed, changed because of us, after each round, showed us how, "
        # Working with people again and again, and showing them what their part changed.
        "you said we did, met regularly, meet regularly, several rounds, rounds of workshops, "
        "reported back, report back, dywedoch chi gwnaethom ni, cwrdd yn rheolaidd, "
        "workshops, each stage, every stage, at each step, explore ideas, ideas day, "
        "community conversations, pob cam, bob cam, syniadau, "
        "deliberative workshop, community workshop, workshop, deliberative poll, drop-in, "
        "listening event, concerns, hopes, throughout, series of sessions, visioning, walkabout, "
        "community conversation, ongoing, "
        "gweithdy, gweithdai, galw heibio, digwyddiad gwrando, pryderon, gobeithion, trwy gydol, "
        "drwy gydol, cyfres sesiynau",
        "worry, worries, listen, involved, each stage, pryder, gwrando"
        ", ideas, explore, stage, step, cam, syniad"
        ", regularly, regular, rheolaidd",
    ),
    "collaborate": _w(
        # Options drawn up and the choice made with the organisation.
        "draw up the options, drew up the options, drawing up the options, llunio'r opsiynau, "
        "co-produced, co-produce, cyd-gynhyrchwyd, "
        # The public helping to make the decision, beside the organisation.
        "helped choose, help choose, helped decide, help decide, helped pick, helpu dewis, "
        "helpu penderfynu, "
        "develop together, shaped together, agreed the preferred option, "
        "datblygu gyda'i gilydd, "
        "advisory committee, consensus building, consensus, co-design, partnership, working group, "
        "jointly, partners, co-develop, preferred option together, steering group, co-production, "
        "develop options together, "
        "pwyllgor cynghori, consensws, cyd-ddylunio, partneriaeth, gweithgor, ar cyd, cydweithio, "
        "grwp llywio, cyd-gynhyrchu, partneriaid",
        "together, options, alongside, gilydd, opsiynau, agree, agreed, jointly, cytuno, ar y cyd, alongside",
    ),
    "empower": _w(
        "final say, residents vote, community votes, gair olaf, trigolion yn pleidleisio, "
        "cymuned yn pleidleisio, "
        "citizen jury, citizens jury, citizens assembly, ballot, referendum, delegated decision, "
        "participatory budgeting, residents decide, final decision, public vote, binding vote, "
        "community decides, residents chose, "
        "rheithgor dinasyddion, cynulliad dinasyddion, pleidlais, refferendwm, cyllidebu cyfranogol, "
        "penderfyniad terfynol, trigolion penderfynu, trigolion dewis",
        "decide, vote, choose, penderfynu, pleidleisio, dewis, binding, votes, themselves, decided",
    ),
}

# --- What the four taxonomies share ------------------------------------------------------------

INFORMATION_CHANNELS: Final = _w(
    "leaflet, leaflets, leaflet drop, flyer, flyers, poster, posters, newsletter, bulletin, "
    "e-bulletin, email bulletin, e-newsletter, noticeboard, notice board, public notice, site notice, "
    "signage, display board, display boards, information board, information boards, info board, "
    "banner, billboard, press release, newspaper, local paper, newspaper article, article, "
    "magazine, parish magazine, website, web page, webpage, facebook page, facebook post, "
    "social media post, tweet, text message, text alert, mailshot, mail-out, mailout, "
    "letter drop, through the door, letterbox, annual report, brochure, booklet, fact sheet, "
    "factsheet, information pack, briefing, presentation, exhibition, roadshow, podcast, "
    "local radio, radio, announcement, open day, information stand, information stall, "
    "taflen, taflenni, poster, posteri, cylchlythyr, bwletin, hysbysfwrdd, hysbysiad, "
    "hysbysiadau, byrddau gwybodaeth, datganiad wasg, papur newydd, papur bro, erthygl, gwefan, "
    "tudalen we, neges destun, negeseuon testun, llyfryn, arddangosfa, cyflwyniad, radio lleol, "
    "diwrnod agored, cyhoeddiad, "
    # One way, said outright: no room for questions (else "question time" would match).
    "no time for questions, no questions, no discussion, artist impression, artists impression, "
    "dim amser i holi, dim cwestiynau, dim trafodaeth",
    "drawings, see the plans, view the plans, text, "
    "notice, tell, told, explain, inform, update, updates, let people know, display, "
    "dweud, esbonio, egluro, rhoi gwybod, diweddariad",
)
"""Ways of telling people, which every taxonomy's one-way information category shares
(Giving Information, Information, Informing, Inform)."""

ASKING_METHODS: Final = _w(
    "survey, questionnaire, poll, online poll, opinion poll, comment card, comment cards, "
    "feedback form, response form, online form, suggestion box, comments box, vox pop, "
    "street survey, doorstep survey, phone survey, online survey, market research, have your say, "
    "comments, feedback, which option, like best, liked best, "
    "fill in a form, filled in a form, vote for favourite, pick favourite, "
    "choose favourite, favourite option, favourite design, llenwi ffurflen, "
    "arolwg, arolygon, holiadur, holiaduron, pol piniwn, pleidlais barn, cerdyn sylwadau, "
    "cardiau sylwadau, ffurflen adborth, ffurflen ar-lein, blwch awgrymiadau, sylwadau, adborth",
    "ask, asked, asking, questions, views, opinion, opinions, what people think, what they think, "
    "gofyn, holi, cwestiynau, barn, form, fill in, filled in, favourite, ffurflen, llenwi, hoff",
)
"""Ways of asking people, which every taxonomy's category for collecting views shares (Getting
Information, Consultation, Consultation, Consult)."""

SHARED: Final[Mapping[str, Mapping[str, Words]]] = {
    "wakefield": {"giving_information": INFORMATION_CHANNELS, "getting_information": ASKING_METHODS},
    "coproduction": {"information": INFORMATION_CHANNELS, "consultation": ASKING_METHODS},
    "arnstein": {"informing": INFORMATION_CHANNELS, "consultation": ASKING_METHODS},
    "iap2": {"inform": INFORMATION_CHANNELS, "consult": ASKING_METHODS},
}


def _with_shared(own: Mapping[str, Mapping[str, Words]]) -> dict[str, dict[str, Words]]:
    """Each taxonomy's vocabulary with the shared lists added to its matching categories, less
    any term the taxonomy already gives another category (an advert is Persuasion in the
    co-production spectrum, a focus group a Forum for Debate on the Wakefield continuum)."""
    merged: dict[str, dict[str, Words]] = {}
    for taxonomy, categories in own.items():
        merged[taxonomy] = dict(categories)
        for key, shared in SHARED.get(taxonomy, {}).items():
            elsewhere = {
                text.casefold()
                for other, words in categories.items()
                if other != key
                for text in (*words.strong, *words.medium)
            }
            mine = categories[key]
            known = {text.casefold() for text in (*mine.strong, *mine.medium)}
            strong = tuple(t for t in shared.strong if t.casefold() not in elsewhere | known)
            medium = tuple(t for t in shared.medium if t.casefold() not in elsewhere | known)
            merged[taxonomy][key] = Words(mine.strong + strong, mine.medium + medium)
    return merged


SOLE_DECISION: Final[Mapping[str, frozenset[str]]] = {
    "wakefield": frozenset({"empowerment"}),
    "arnstein": frozenset({"delegated_power", "citizen_control"}),
    "iap2": frozenset({"empower"}),
}
"""The categories in which the community decides on its own. A note that says the decision was
made together ("residents and officers chose the option together") describes a shared decision,
the category below (`categorise.JOINT_WEIGHT`)."""
JOINT_WORDS: Final = _split("together, jointly, joint, gyda'i gilydd, ar y cyd")
"""Words that say a decision or plan was shared."""
AUTHORITIES: Final = frozenset(
    "they council councils councillor councillors officer officers cabinet "
    "nhw cyngor swyddog swyddogion".split()
)
"""Who decides when a note says "they decided", "officers make the decisions", "y cyngor sy'n
penderfynu": in a note about engagement "they" is the organisation, so a deciding word
(`DECIDING`) right after one of these is the organisation deciding, never the community's own
decision (`SOLE_DECISION`, `categorise.AUTHORITY_REACH`). What the organisation does to hand
power over ("the council handed it over") is not deciding, and still counts."""
DECIDING: Final = _split("decide, choose, vote, final say, penderfynu, dewis, pleidleisio")
"""Words of making a decision, whoever makes it."""
HELPING: Final = frozenset("help helps helped helping helpu".split())
"""Words that make a deciding word (`DECIDING`) right after them a decision made beside the
organisation, not the community's own: "young people helped choose the play equipment" took
part in the choice (`categorise.HELPING_REACH`)."""

URGED: Final[Mapping[str, tuple[str, str]]] = {"coproduction": ("persuasion", "information")}
"""The category of a note that says people were pressed to do something ("posters telling you
to get your jab", "pushing us to use the app", `categorise.urged`), in the taxonomies that have
one for it: the co-production spectrum's Persuasion is a message that wants behaviour changed,
whatever carries it, so the category of the carrier (the second key: the leaflet, the poster)
counts then only as its setting does (`categorise.SETTING_WEIGHT`). On the other taxonomies the
carrier decides (a poster gives information)."""
URGING_VERBS: Final = frozenset(
    "tell push urge encourage nudge persuade remind get got want "
    "annog gwthio perswadio cymell atgoffa".split()
)
"""Verbs that press someone to do something when followed by who and "to" (Welsh "i" or "am"):
"telling people to recycle", "annog pobl i gerdded". Each is listed once: a note's words are
compared by stem (`categorise.urged`), which brings "tells", "telling" and "told" to "tell"
(`stemming.stem`), and so a noun of the same stem presses too ("text reminders for parents to
book"). "Got" is listed beside "get" because the stemmer leaves it whole."""
URGING_TO: Final = frozenset({"to", "i", "am"})
"""What follows the verb and whom it presses: "to", Welsh "i" ("annog pobl i") or "am"."""
URGED_NEEDS_WHOM: Final = frozenset("tell get got want remind".split())
"""Verbs that press only with someone between them and "to": "told us to" presses, "told to"
may be an order (Coercion), "get to know" and "wanted to come" press nobody. Compared by stem,
as `URGING_VERBS` are."""

VOCABULARIES: Final[Mapping[str, Mapping[str, Words]]] = _with_shared(
    {
        "wakefield": WAKEFIELD_WORDS,
        "coproduction": COPRODUCTION_WORDS,
        "arnstein": ARNSTEIN_WORDS,
        "iap2": IAP2_WORDS,
    }
)
"""The vocabularies by taxonomy key: only the built-in taxonomies have one; a template's own
taxonomy is matched from its definitions, examples and keywords alone."""

__all__ = [
    "AUTHORITIES",
    "DECIDING",
    "HELPING",
    "JOINT_WORDS",
    "MEDIUM",
    "SOLE_DECISION",
    "URGED",
    "URGED_NEEDS_WHOM",
    "URGING_TO",
    "URGING_VERBS",
    "VOCABULARIES",
    "Words",
]
