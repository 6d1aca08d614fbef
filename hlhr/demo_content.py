"""Demo content in our own words: sample articles, pages and comments for `flask demo`."""

from textwrap import dedent


def _md(text: str) -> str:
    """Strip the source indentation from a Markdown block."""
    return dedent(text).strip()


ABOUT = (
    "HLHR is an independent newsroom that reports on human rights abuses and the people who "
    "resist them. We verify what we publish, protect our sources and take no money from "
    "governments or political parties."
)

SECTIONS = [
    {
        "name": "NEWS",
        "description": "Verified reporting on human rights developments as they happen.",
    },
    {
        "name": "RESEARCH",
        "description": "In-depth investigations and reports based on our own documentation.",
    },
    {
        "name": "IMPACT",
        "description": "Releases, reforms and rulings that followed sustained pressure for change.",
    },
    {
        "name": "RESOURCES",
        "description": "Guides, explainers and toolkits for defenders, families and readers.",
    },
    {
        "name": "Important",
        "description": "Urgent appeals, joint statements and announcements from HLHR.",
    },
]

ARTICLES = [
    # ------------------------------------------------------------------ NEWS
    {
        "title": "Families of detained journalists demand access after months of silence",
        "section": "NEWS",
        "tags": ["press freedom", "detention", "freedom of expression"],
        "days_ago": 2,
        "excerpt": (
            "Relatives of six reporters held without charge for more than five months say they "
            "still do not know where the men are or what they are accused of."
        ),
        "body": _md(
            """\
            Relatives of six journalists held without charge for more than five months have
            appealed for immediate access to their family members, saying they have received no
            official information about where the men are being held or what they are accused of.

            The journalists, who worked for two independent news outlets and a regional
            newspaper, were detained in a series of night-time arrests. Their employers say the
            reporters had been covering land disputes and alleged irregularities in public
            procurement. No formal charges have been filed, and requests by their lawyers to
            see the case files have gone unanswered.

            ## Held beyond the reach of the courts

            Under international human rights law, anyone deprived of their liberty must be
            brought promptly before a judge and must be able to challenge the lawfulness of
            their detention. The International Covenant on Civil and Political Rights also
            guarantees the right to communicate with counsel and to be told of any charges.

            > "Every week without a lawyer or a family visit increases the risk of ill-treatment
            > and makes a fair trial less likely," said Lina Haddad, HLHR's detention researcher.
            > "The authorities must either charge these men with a recognisable offence or
            > release them."

            A lawyer for the families said that repeated applications to the prosecutor's
            office had been returned without a decision. Relatives told HLHR they learned of the
            arrests from neighbours and have since relied on brief messages passed on by
            detainees who were later released.

            HLHR is calling on the authorities to:

            - disclose the whereabouts and legal status of all six journalists;
            - allow them prompt and regular access to lawyers of their choosing and to their
              families;
            - release them unless they are charged with an internationally recognised offence.

            The organisation has shared its concerns with the UN Working Group on Arbitrary
            Detention, whose [methods of work](https://www.ohchr.org/) are public, and will
            continue to follow the case closely.
            """
        ),
        "author": "Daniel Okafor",
        "image": True,
        "caption": "Relatives wait outside the central courthouse for news of the reporters.",
        "pick": False,
        "sticky": True,
        "comments": [
            {
                "name": "Sofia Marchetti",
                "email": "sofia.marchetti@example.org",
                "body": (
                    "Thank you for keeping this story in the news. Five months without a "
                    "charge sheet is not a legal process, it is a punishment."
                ),
                "reply_to": None,
            },
            {
                "name": "K. Mensah",
                "email": "k.mensah@example.org",
                "body": (
                    "Is there an address where readers can send letters of support to the families?"
                ),
                "reply_to": None,
            },
            {
                "name": "HLHR desk",
                "email": "desk@example.org",
                "body": (
                    "We are checking with the families what kind of support they would "
                    "welcome and will add details to the article if they agree."
                ),
                "reply_to": 1,
            },
        ],
    },
    {
        "title": "UN Human Rights Council session opens with focus on civic space",
        "section": "NEWS",
        "tags": ["United Nations", "civic space", "human rights defenders"],
        "days_ago": 9,
        "excerpt": (
            "States and civil society groups are expected to raise restrictions on associations, "
            "protests and independent media during the Council's latest regular session."
        ),
        "body": _md(
            """\
            The UN Human Rights Council has opened its latest regular session in Geneva, with
            restrictions on civic space expected to feature prominently in debates over the
            coming weeks.

            The Council, made up of 47 member states elected by the UN General Assembly, meets
            in at least three regular sessions a year. During each session it holds interactive
            dialogues with independent experts, considers reports on individual countries and
            themes, and votes on resolutions.

            Civil society organisations have submitted written statements describing laws that
            limit foreign funding for associations, require burdensome registration, or allow
            groups to be dissolved on broadly worded security grounds. Several statements also
            describe the prosecution of people for peaceful online comments.

            ## What to watch

            Over the session, HLHR will follow:

            - the dialogue with the Special Rapporteur on the rights to freedom of peaceful
              assembly and of association;
            - adoption of outcomes from the Universal Periodic Review, in which every UN member
              state has its record examined by its peers;
            - draft resolutions on the safety of journalists and on the protection of human
              rights defenders.

            > "The Council is only as useful as the attention states pay to its findings between
            > sessions," said Maryam Azadi, who leads HLHR's work on UN advocacy. "We will be
            > tracking whether commitments made in Geneva are reflected in national law."

            Human rights defenders who travel to take part in side events have in the past
            reported being questioned on their return home. The UN has repeatedly stated that
            cooperation with its mechanisms must not lead to reprisals, and the Secretary-General
            reports annually on such cases.

            Session documents, webcasts and the programme of work are published on the
            [Council's pages](https://www.ohchr.org/) on the website of the Office of the High
            Commissioner for Human Rights.
            """
        ),
        "author": "Maryam Azadi",
        "image": True,
        "caption": "Delegates take their seats in the Council chamber in Geneva.",
        "pick": False,
        "sticky": False,
        "comments": [],
    },
    {
        "title": "Coastal authorities urged to end pushbacks of people at sea",
        "section": "NEWS",
        "tags": ["migrants", "refugees", "asylum"],
        "days_ago": 17,
        "excerpt": (
            "Survivors describe boats being turned back without any assessment of their "
            "protection needs. HLHR says the practice breaches the principle of non-refoulement."
        ),
        "body": _md(
            """\
            People who attempted to cross by sea in recent months have described being
            intercepted, stripped of their phones and towed back towards the coast they had
            left, without any opportunity to explain why they were fleeing.

            HLHR interviewed 23 survivors of such interceptions, including families with young
            children. Most said they were given no information in a language they understood
            and were not asked whether they wished to claim asylum. Several said the engines of
            their boats had been removed before they were left drifting.

            ## The law is clear

            The principle of non-refoulement prohibits returning anyone to a place where they
            would face a real risk of persecution, torture or other serious harm. It is set out
            in the 1951 Refugee Convention and the Convention against Torture, and applies
            wherever a state exercises control over people, including at sea.

            International maritime law separately requires ships to assist anyone found in
            distress and to deliver survivors to a place of safety.

            > "A boat full of people is not a border problem to be pushed somewhere else," said
            > Maryam Azadi, HLHR's migration researcher. "Every person on board has the right to
            > have their situation assessed individually and fairly."

            A spokesperson for the coastguard told HLHR that its officers act in line with
            national and international law and that interceptions are intended to prevent loss
            of life. The spokesperson did not respond to specific allegations about removed
            engines or confiscated phones.

            HLHR is calling for:

            - an immediate end to pushbacks and collective expulsions;
            - independent monitoring of border operations at sea;
            - prompt, transparent investigations into every reported death or disappearance.

            Survivors' accounts have been shared with the relevant UN special procedures and
            with the UN refugee agency.
            """
        ),
        "author": "Tomás Rivera",
        "image": True,
        "caption": "A rescue boat returns to port after an overnight search operation.",
        "pick": False,
        "sticky": False,
        "comments": [
            {
                "name": "Helena V.",
                "email": "helena.v@example.org",
                "body": (
                    "I volunteer on a rescue ship and these accounts match what we hear from "
                    "people we pick up. Thank you for documenting it carefully."
                ),
                "reply_to": None,
            },
            {
                "name": "Marc Olsen",
                "email": "marc.olsen@example.org",
                "body": (
                    "Did the coastguard say how many interceptions took place over the "
                    "period you looked at?"
                ),
                "reply_to": None,
            },
        ],
    },
    {
        "title": "New cybercrime bill threatens online speech, lawyers warn",
        "section": "NEWS",
        "tags": ["digital rights", "freedom of expression", "surveillance"],
        "days_ago": 33,
        "excerpt": (
            "Vaguely worded offences and broad data-retention powers in a draft law could be "
            "used to prosecute critics and monitor users, according to legal experts."
        ),
        "body": _md(
            """\
            A draft cybercrime law now before parliament contains provisions that could be used
            to criminalise legitimate online expression and expand state surveillance, lawyers
            and digital rights groups have warned.

            The bill's stated aim is to tackle fraud, hacking and the sexual exploitation of
            children online, goals that HLHR supports. But several of its articles go well
            beyond those purposes.

            ## Provisions of concern

            HLHR's legal analysis of the draft identified the following problems:

            - an offence of publishing "false information that disturbs public order", with no
              definition of either term and penalties of up to five years in prison;
            - a requirement that service providers retain all user data for two years and hand
              it over on request, without prior approval by a judge;
            - powers to block websites through administrative orders that cannot be
              challenged in court before they take effect;
            - an offence of "insulting state institutions" online.

            Article 19 of the International Covenant on Civil and Political Rights allows
            restrictions on freedom of expression only when they are provided by law, pursue a
            legitimate aim and are necessary and proportionate. Vague offences fail the first
            test, because people cannot know in advance what conduct is prohibited.

            > "Laws like this rarely stay within their stated purpose," said Lina Haddad, who
            > covers digital rights for HLHR. "Once a vague offence exists, it tends to be used
            > against whoever is most inconvenient to the authorities at the time."

            A member of the parliamentary committee reviewing the bill said amendments were
            still being considered and that the committee would hold public consultations.

            HLHR has submitted detailed recommendations to the committee and urges legislators
            to remove or narrowly redefine the speech offences, require judicial authorisation
            for access to user data, and guarantee a right of appeal against blocking orders.
            """
        ),
        "author": "Lina Haddad",
        "image": False,
        "caption": "",
        "pick": False,
        "sticky": False,
        "comments": [
            {
                "name": "Ravi Sandhu",
                "email": "ravi.sandhu@example.org",
                "body": (
                    "I compared the data-retention article with similar laws elsewhere in a "
                    "short post: https://example.org/notes/data-retention-comparison"
                ),
                "reply_to": None,
            },
            {
                "name": "Claire Dubois",
                "email": "claire.dubois@example.org",
                "body": (
                    "Useful comparison. The absence of any judicial approval is what worries "
                    "me most."
                ),
                "reply_to": 0,
            },
        ],
    },
    {
        "title": "Hunger strike at immigration detention centre enters third week",
        "section": "NEWS",
        "tags": ["migrants", "detention", "asylum"],
        "days_ago": 48,
        "excerpt": (
            "Dozens of people held for months pending deportation are refusing food to protest "
            "the length of their detention and limited access to legal advice."
        ),
        "body": _md(
            """\
            At least 40 people held in an immigration detention centre have been refusing food
            for more than two weeks, according to relatives and a lawyer representing several
            of the men.

            The detainees are protesting against the length of their detention, which in some
            cases has exceeded ten months, and against what they describe as irregular access
            to lawyers and interpreters. Some say they have asylum claims pending, while others
            are awaiting deportation to countries that have not agreed to receive them.

            A lawyer for several of the hunger strikers said two men had been taken to hospital
            in recent days and that others were showing signs of serious weakness.

            ## Detention as a last resort

            International standards hold that immigration detention should be an exceptional
            measure, used only when necessary and proportionate in an individual case and for
            the shortest possible time. When there is no realistic prospect of removal,
            continued detention becomes arbitrary.

            > "People are not refusing food on a whim. They are telling us they see no end and
            > no way to be heard," said Daniel Okafor, who has followed the centre for HLHR.
            > "The authorities should review every case urgently."

            The interior ministry said in a written statement that all detainees receive
            medical care and legal information, and that the length of detention depends on
            the circumstances of each case.

            Medical ethics require that people on hunger strike be treated with respect for
            their autonomy and not be force-fed. Health professionals should be able to
            monitor detainees independently and confidentially.

            HLHR calls on the authorities to release anyone who cannot be removed within a
            reasonable time, to use alternatives to detention such as reporting requirements,
            and to allow independent monitors to visit the centre without notice.
            """
        ),
        "author": "Daniel Okafor",
        "image": True,
        "caption": "The perimeter fence of the immigration detention centre.",
        "pick": False,
        "sticky": False,
        "comments": [],
    },
    {
        "title": "Appeal court upholds death sentences despite torture allegations",
        "section": "NEWS",
        "tags": ["death penalty", "torture", "fair trial"],
        "days_ago": 71,
        "excerpt": (
            "Three men say their confessions were extracted under duress. The court confirmed "
            "their sentences without ordering an investigation into the allegations."
        ),
        "body": _md(
            """\
            An appeal court has confirmed the death sentences of three men convicted of murder,
            despite their consistent claims that they confessed only after being beaten and
            threatened in police custody.

            According to their lawyers, the men retracted their confessions at the first
            hearing and described the treatment they said they had suffered. Medical records
            from the period after their arrest note bruising and a fractured finger. The trial
            and appeal courts nonetheless relied on the confessions as the main evidence.

            ## Evidence obtained by torture

            The Convention against Torture requires that any statement established to have
            been made as a result of torture must not be used as evidence in any proceedings,
            except against a person accused of torture. When a defendant raises a credible
            allegation, the burden falls on the state to show that the statement was given
            freely.

            Where the death penalty is still used, international law requires the most
            rigorous respect for fair-trial guarantees. A death sentence imposed after an
            unfair trial violates the right to life.

            > "The court had medical evidence in front of it and chose not to look further,"
            > said Maryam Azadi, HLHR's death penalty researcher. "No one should be executed on
            > the strength of a confession that may have been beaten out of them."

            A lawyer for the families said they would seek a review by the supreme court and
            would ask the head of state to commute the sentences.

            HLHR opposes the death penalty in all cases, without exception, as a violation of
            the right to life and the ultimate cruel, inhuman and degrading punishment. We urge
            the authorities to:

            - halt any steps towards carrying out the executions;
            - order an independent investigation into the torture allegations;
            - grant the men a retrial that excludes the contested confessions.
            """
        ),
        "author": "Maryam Azadi",
        "image": True,
        "caption": "The entrance to the appeal court building on the day of the ruling.",
        "pick": False,
        "sticky": False,
        "comments": [
            {
                "name": "Jonas Berg",
                "email": "jonas.berg@example.org",
                "body": (
                    "If there are medical records of injuries, how can a court simply ignore "
                    "them? Is there any international body the lawyers can turn to?"
                ),
                "reply_to": None,
            },
            {
                "name": "Nadia R.",
                "email": "nadia.r@example.org",
                "body": (
                    "If the state has accepted individual complaints, the lawyers can petition "
                    "a UN treaty body once domestic remedies are exhausted, and ask for interim "
                    "measures in the meantime."
                ),
                "reply_to": 0,
            },
        ],
    },
    {
        "title": "Dozens detained after peaceful march over water shortages",
        "section": "NEWS",
        "tags": ["freedom of assembly", "detention", "police"],
        "days_ago": 95,
        "excerpt": (
            "Residents who marched to demand reliable water supplies were dispersed with tear "
            "gas and batons. At least 37 people, including two teenagers, were arrested."
        ),
        "body": _md(
            """\
            Police arrested at least 37 people after dispersing a peaceful march by residents
            protesting against months of water shortages in several districts of a provincial
            city, according to witnesses and lawyers.

            Video footage reviewed and verified by HLHR shows several hundred people walking
            along a main road carrying empty containers and hand-written signs. The footage
            shows no violence by marchers before police fired tear gas and began detaining
            people, some of whom were struck with batons while being restrained.

            Two of those arrested are under 18. Lawyers said most detainees were released after
            signing pledges not to take part in further protests, while nine remain in custody
            on charges of "participating in an unauthorised gathering".

            ## A right, not a privilege

            The right to peaceful assembly does not depend on prior authorisation. States may
            require notification for practical reasons, but the failure to notify does not in
            itself make a gathering unlawful or justify its dispersal. Force may be used only
            when strictly necessary and must be proportionate.

            > "These residents were asking for something as basic as water," said Tomás Rivera,
            > HLHR's researcher for the region. "The response should have been dialogue, not tear
            > gas and criminal charges."

            A local official said the protest had blocked traffic and that the police had acted
            to restore order. The official added that repairs to the water network were under
            way.

            HLHR calls for the immediate release of everyone still held solely for taking part
            in the march, for charges to be dropped, and for an independent investigation into
            the use of force. The teenagers should never have been held with adults.
            """
        ),
        "author": "Tomás Rivera",
        "image": True,
        "caption": "Residents queue at a public tap during the water shortage.",
        "pick": False,
        "sticky": False,
        "comments": [],
    },
    {
        "title": "حق المحتجزين في الاتصال بمحامٍ منذ اللحظة الأولى للاحتجاز",
        "section": "NEWS",
        "tags": ["detention", "fair trial"],
        "days_ago": 120,
        "excerpt": (
            "يكفل القانون الدولي لكل شخص محروم من حريته الحق في الاستعانة بمحامٍ دون تأخير. "
            "نوضح هنا ما يعنيه هذا الحق في الواقع العملي."
        ),
        "body": _md(
            """\
            يحق لكل شخص يُلقى القبض عليه أن يتصل بمحامٍ من اختياره منذ بداية احتجازه، وأن
            يلتقي به على انفراد ومن دون رقابة. وهذا الحق ليس امتيازاً تمنحه السلطات أو تمنعه
            متى شاءت، بل ضمانة أساسية من ضمانات المحاكمة العادلة.

            وينص العهد الدولي الخاص بالحقوق المدنية والسياسية في مادته الرابعة عشرة على حق كل
            متهم في أن يُعطى من الوقت والتسهيلات ما يكفيه لإعداد دفاعه، وفي الاتصال بمحامٍ
            يختاره بنفسه. كما تؤكد مجموعة المبادئ المتعلقة بحماية جميع الأشخاص الذين يتعرضون
            لأي شكل من أشكال الاحتجاز أو السجن، التي اعتمدتها الجمعية العامة للأمم المتحدة، أن
            للمحتجز الحق في الحصول على مساعدة محامٍ.

            ## لماذا تهمّ الساعات الأولى؟

            تُظهر الحالات التي وثّقناها أن الساعات والأيام الأولى من الاحتجاز هي الأكثر خطورة،
            إذ يكون المحتجز معزولاً عن العالم الخارجي ومعرضاً للضغط وسوء المعاملة. ووجود محامٍ
            في هذه المرحلة يقلل من خطر انتزاع الاعترافات بالإكراه، ويتيح الطعن في قانونية
            الاحتجاز أمام قاضٍ.

            > «عندما يُحرم المحتجز من محاميه، تفقد العدالة أهم ضماناتها، ولا يمكن تبرير هذا
            > الحرمان بحجة سرية التحقيق»، يقول دانيال أوكافور، الباحث في منظمتنا.

            وقد أفاد محامون تحدثنا إليهم بأنهم مُنعوا في حالات عديدة من لقاء موكليهم إلا بعد
            انتهاء الاستجواب، أو سُمح لهم بلقاءات قصيرة بحضور عناصر الأمن، وهو ما يتعارض مع
            مبدأ سرية العلاقة بين المحامي وموكله.

            ## ما الذي يجب أن تعرفه عائلات المحتجزين

            - من حقكم معرفة مكان احتجاز قريبكم وسبب احتجازه.
            - من حق المحتجز أن يُعرض على قاضٍ دون إبطاء.
            - من حقه أن يلتقي محاميه على انفراد وأن يتلقى الرعاية الطبية اللازمة.
            - لا يجوز الاعتداد بأي اعتراف انتُزع تحت التعذيب دليلاً أمام المحاكم.

            ندعو السلطات في كل مكان إلى ضمان هذا الحق في القانون وفي الممارسة، وإلى التحقيق في
            كل حالة يُمنع فيها المحامون من لقاء موكليهم، ومحاسبة المسؤولين عنها. ويمكن الاطلاع
            على المعايير الدولية ذات الصلة على
            [موقع مفوضية الأمم المتحدة السامية لحقوق الإنسان](https://www.ohchr.org/).
            """
        ),
        "author": "Lina Haddad",
        "image": False,
        "caption": "",
        "pick": False,
        "sticky": False,
        "comments": [],
    },
    {
        "title": "Women human rights defenders report surge in online abuse",
        "section": "NEWS",
        "tags": ["women's rights", "digital rights", "human rights defenders"],
        "days_ago": 150,
        "excerpt": (
            "Campaigners describe coordinated harassment, leaked personal data and sexualised "
            "threats, and say platforms and police rarely respond in time."
        ),
        "body": _md(
            """\
            Women who campaign for human rights are facing a sharp increase in online abuse,
            including threats of sexual violence, the publication of their home addresses and
            fabricated images, according to interviews conducted by HLHR.

            We spoke with 31 women working on issues ranging from domestic violence to land
            rights and press freedom. Twenty-six said the abuse they received had worsened over
            the past year. Many described waves of hostile messages that began within minutes
            of a media appearance or a post about a sensitive case.

            ## Silencing by exhaustion

            Several defenders said they had stopped posting publicly, closed accounts or turned
            down interviews. Others said they now spend hours each week reporting content that
            is rarely removed.

            > "The aim is not always to frighten someone into silence overnight. Often it is to
            > wear them down until speaking out no longer seems worth the cost," said Maryam
            > Azadi, who led the interviews for HLHR.

            A lawyer who advises several of the women said that police complaints were often
            closed without investigation, with officers suggesting that the victims simply
            leave social media.

            States have a duty to protect people from gender-based violence, including when it
            takes place online, and to ensure that victims have access to effective remedies.
            Companies, for their part, have a responsibility under the UN Guiding Principles on
            Business and Human Rights to prevent and address harms linked to their services.

            HLHR is calling on:

            - social media companies to respond quickly to reports of threats and doxxing and
              to offer priority channels for defenders at risk;
            - police and prosecutors to treat online threats as seriously as offline ones;
            - governments to avoid responding with broad speech laws that could themselves be
              used against the defenders they aim to protect.
            """
        ),
        "author": "Maryam Azadi",
        "image": True,
        "caption": "A campaigner reviews threatening messages received on social media.",
        "pick": False,
        "sticky": False,
        "comments": [],
    },
    {
        "title": "Eviction orders leave hundreds of families without shelter",
        "section": "NEWS",
        "tags": ["housing", "forced evictions", "children"],
        "days_ago": 210,
        "excerpt": (
            "Residents of an informal settlement were given seven days to leave their homes, "
            "with no offer of alternative housing and no chance to contest the decision."
        ),
        "body": _md(
            """\
            Several hundred families living in an informal settlement on the edge of a large
            city have been ordered to leave their homes within seven days to make way for a
            road project, community representatives told HLHR.

            Many of the residents have lived on the site for more than 15 years. They say they
            were not consulted about the project and received the eviction notices only after
            the plans had been approved. No compensation or alternative housing has been
            offered.

            Community representatives said about 600 children attend schools near the
            settlement and that relocation to the outskirts of the city would make it difficult
            for them to continue their education.

            ## What international standards require

            Under the International Covenant on Economic, Social and Cultural Rights, evictions
            may be carried out only as a last resort and with appropriate procedural
            protections. These include:

            - genuine consultation with those affected;
            - adequate and reasonable notice;
            - access to legal remedies, including the right to challenge the decision;
            - ensuring that no one is rendered homeless as a result.

            > "Development projects can be carried out without making people homeless," said
            > Daniel Okafor, HLHR's researcher on economic and social rights. "Seven days'
            > notice, with nowhere to go, is not a lawful process."

            A municipal official said that residents were occupying public land illegally and
            that the road was needed to ease traffic congestion. The official said the city
            would consider requests for assistance on a case-by-case basis.

            HLHR calls on the authorities to suspend the evictions, open a genuine consultation
            with residents and ensure that anyone who must move is offered adequate housing
            close to their work and their children's schools.
            """
        ),
        "author": "Daniel Okafor",
        "image": False,
        "caption": "",
        "pick": False,
        "sticky": False,
        "comments": [],
    },
    {
        "title": "Independent radio station taken off air ahead of elections",
        "section": "NEWS",
        "tags": ["press freedom", "elections", "freedom of expression", "civic space"],
        "days_ago": 300,
        "excerpt": (
            "The regulator suspended the station's licence citing technical violations. Staff "
            "say the move followed critical coverage of candidates' campaign spending."
        ),
        "body": _md(
            """\
            A popular independent radio station has been taken off air three weeks before
            national elections, after the broadcasting regulator suspended its licence for
            what it described as repeated technical violations.

            Staff at the station said they had received no prior warning and had been given
            no details of the alleged violations. They said the suspension came days after
            the station aired a series of programmes examining how candidates were financing
            their campaigns.

            The station broadcasts in two local languages and is one of few sources of
            independent news in rural parts of the country, where internet access is limited.

            ## Pluralism at election time

            Access to diverse sources of information is essential for voters to make informed
            choices. Any restriction on a media outlet must be based on clear law, pursue a
            legitimate aim and be proportionate. Suspending a broadcaster entirely is among the
            most severe measures available and should be subject to independent judicial
            review.

            > "Taking a trusted station off air just before people vote sends a message to every
            > other newsroom," said Tomás Rivera, HLHR's press freedom researcher. "If there are
            > genuine technical issues, they can be fixed without silencing the station."

            A spokesperson for the regulator said the decision was unrelated to the station's
            editorial content and that the station could appeal.

            The station's lawyers have filed an urgent application asking a court to suspend
            the regulator's decision. HLHR urges the regulator to publish the full reasons for
            its decision and to restore the licence while the appeal is heard.
            """
        ),
        "author": "Tomás Rivera",
        "image": True,
        "caption": "Broadcasting equipment in the station's studio before it went off air.",
        "pick": False,
        "sticky": False,
        "comments": [],
    },
    # -------------------------------------------------------------- RESEARCH
    {
        "title": "Inside pretrial detention: overcrowding, neglect and years of waiting",
        "section": "RESEARCH",
        "tags": ["detention", "prison conditions", "fair trial"],
        "days_ago": 24,
        "excerpt": (
            "Our research in four facilities found people held for years without trial in "
            "cells at three times their capacity, with little access to health care."
        ),
        "body": _md(
            """\
            More than two thirds of the people held in the four pretrial facilities HLHR
            examined had not been convicted of any crime. Some had been waiting for a trial for
            more than three years, in cells built for a third of the people they now hold.

            Our findings are based on interviews with 64 current and former detainees, 18
            relatives, 11 lawyers and two former prison staff, as well as court records and
            official statistics obtained through information requests.

            ## Key findings

            - Cells designed for 20 people regularly held 55 or more, forcing detainees to
              sleep in shifts.
            - Detainees said they received one meal a day and relied on families for food and
              medicine.
            - Nine former detainees described untreated illnesses, including tuberculosis.
            - Hearings were frequently postponed because detainees were not transported to
              court.

            The UN Standard Minimum Rules for the Treatment of Prisoners, known as the Nelson
            Mandela Rules, set out basic requirements on space, ventilation, food, health care
            and contact with the outside world. Pretrial detainees are presumed innocent and
            should be held separately from convicted prisoners.

            > "Pretrial detention has become a punishment in itself," said Lina Haddad, the
            > report's lead researcher. "People lose jobs, homes and their health before a court
            > has ever examined the evidence against them."

            Officials at the justice ministry told HLHR that a new facility was under
            construction and that courts had been asked to prioritise older cases.

            ## Recommendations

            We urge the authorities to review the cases of everyone held for more than a year
            without trial, to make wider use of bail and other non-custodial measures, and to
            allow independent monitors regular and unannounced access to all places of
            detention, as envisaged by the Optional Protocol to the Convention against
            Torture.

            The full methodology is described in the report's annex.
            """
        ),
        "author": "Lina Haddad",
        "image": True,
        "caption": "A corridor in a pretrial detention facility visited by HLHR researchers.",
        "pick": True,
        "sticky": False,
        "comments": [
            {
                "name": "Pedro Almeida",
                "email": "pedro.almeida@example.org",
                "body": (
                    "My brother waited two years for his first hearing. Reading this was hard "
                    "but it is good that someone wrote it down."
                ),
                "reply_to": None,
            },
            {
                "name": "Amira S.",
                "email": "amira.s@example.org",
                "body": (
                    "I am so sorry about your brother. Our family went through the same thing."
                ),
                "reply_to": 0,
            },
            {
                "name": "T. Kowalski",
                "email": "t.kowalski@example.org",
                "body": (
                    "Will the annex include the raw figures on court postponements? That data "
                    "would help defence lawyers argue for release."
                ),
                "reply_to": None,
            },
        ],
    },
    {
        "title": "Spyware traces found on phones of lawyers and activists",
        "section": "RESEARCH",
        "tags": ["surveillance", "digital rights", "human rights defenders"],
        "days_ago": 62,
        "excerpt": (
            "Forensic checks on 19 devices found signs of infection on seven, all belonging to "
            "people working on politically sensitive cases."
        ),
        "body": _md(
            """\
            Forensic analysis carried out by HLHR's digital lab found traces of sophisticated
            spyware on the phones of seven lawyers, journalists and activists, all of whom
            were working on politically sensitive cases at the time of infection.

            We examined 19 devices whose owners contacted us after receiving suspicious
            messages or noticing unusual behaviour on their phones. On seven, we found
            indicators consistent with a commercial spyware product capable of reading
            messages, activating the microphone and extracting files.

            ## How the analysis was done

            Our researchers used open-source forensic tools to examine device backups and
            system logs, and compared the results with published indicators of compromise.
            Where possible, findings were reviewed independently by a second analyst. We have
            not published technical details that could identify the individuals concerned.

            > "Lawyers must be able to talk to their clients without the state listening in,"
            > said Daniel Okafor, who coordinated the investigation. "When their phones are
            > compromised, so is every case they are working on."

            The infections we identified clustered around key moments, such as the days before
            court hearings or the publication of investigative reports.

            ## Why it matters

            Targeted surveillance of this kind interferes with the right to privacy, protected
            by Article 17 of the International Covenant on Civil and Political Rights, and can
            have a chilling effect on freedom of expression and association. Any surveillance
            must be lawful, necessary and proportionate, and subject to independent oversight.

            HLHR wrote to the authorities and to the company whose product we identified,
            asking whether they had been involved. The company replied that it sells only to
            government agencies for the purpose of fighting serious crime and terrorism. The
            authorities did not respond.

            We are calling for a moratorium on the sale and use of spyware until robust human
            rights safeguards are in place, as repeatedly recommended by UN experts.
            """
        ),
        "author": "Daniel Okafor",
        "image": True,
        "caption": "Forensic analysis of a mobile phone in HLHR's digital lab.",
        "pick": True,
        "sticky": False,
        "comments": [
            {
                "name": "Elif Demir",
                "email": "elif.demir@example.org",
                "body": (
                    "Can people who think they may be affected contact your lab directly? "
                    "Is there a safe way to do that?"
                ),
                "reply_to": None,
            },
            {
                "name": "Sam Whitaker",
                "email": "sam.whitaker@example.org",
                "body": (
                    "Good that you explain the method and the limits of what you can confirm. "
                    "That makes the findings much more convincing."
                ),
                "reply_to": None,
            },
        ],
    },
    {
        "title": "Children held in adult jails: findings from twelve facilities",
        "section": "RESEARCH",
        "tags": ["children", "detention", "juvenile justice", "prison conditions"],
        "days_ago": 133,
        "excerpt": (
            "We documented children as young as 14 sharing cells with adults, often without "
            "their families being told where they were."
        ),
        "body": _md(
            """\
            Children as young as 14 are being held in the same cells as adult detainees in
            police stations and prisons, HLHR found in research covering twelve facilities in
            three provinces.

            Our researchers interviewed 42 young people who had been detained before their
            18th birthday, as well as parents, social workers and defence lawyers. More than
            half of the young people said they had shared a cell with adults. Several described
            being threatened or made to hand over food and clothing.

            ## Age not verified

            In many cases, officers did not attempt to establish the child's age. Some children
            had no identity documents; others said their stated age was ignored. Parents were
            often informed of the arrest days later, if at all.

            The Convention on the Rights of the Child requires that every child deprived of
            liberty be separated from adults unless it is considered in the child's best
            interest not to do so. It also states that detention of a child should be used only
            as a measure of last resort and for the shortest appropriate period of time.

            > "A police cell full of adults is no place for a child," said Maryam Azadi, who
            > led the research. "Most of the young people we met were accused of minor offences
            > that could have been handled outside the criminal justice system altogether."

            ## What needs to change

            HLHR recommends that the authorities:

            - establish clear procedures for age assessment, giving the benefit of the doubt
              to the young person;
            - notify parents or guardians immediately after a child is detained;
            - create separate facilities for children and expand diversion programmes;
            - ensure that every child has access to a lawyer from the first hour of detention.

            The justice ministry said it was preparing a new juvenile justice strategy and
            welcomed recommendations from civil society.
            """
        ),
        "author": "Maryam Azadi",
        "image": True,
        "caption": "A child's drawing left on the wall of a former holding cell.",
        "pick": False,
        "sticky": False,
        "comments": [],
    },
    {
        "title": "Drought and displacement: families forced from their farmland",
        "section": "RESEARCH",
        "tags": ["climate", "displacement", "housing", "forced evictions"],
        "days_ago": 250,
        "excerpt": (
            "Successive failed harvests have pushed thousands of rural families into informal "
            "settlements, where they face eviction and lack basic services."
        ),
        "body": _md(
            """\
            Three consecutive years of failed rains have driven thousands of farming families
            from their land into informal settlements on the edges of towns, where many now
            live without secure housing, clean water or access to health care.

            Over four months, HLHR researchers visited nine settlements and interviewed 57
            people who had left their villages. Almost all said they had sold livestock and
            borrowed money before deciding to leave. Many said they had received no support
            from the authorities either before or after moving.

            ## Rights at stake

            People displaced within their own country keep all of their human rights. The UN
            Guiding Principles on Internal Displacement set out the responsibility of national
            authorities to protect and assist them, including by ensuring access to food,
            water, shelter and medical services.

            Among the families we interviewed:

            - most had no formal title to the land they left, making compensation or return
              schemes difficult to access;
            - children had often dropped out of school because they lacked documents required
              for enrolment;
            - women reported walking long distances to collect water, exposing them to
              harassment.

            > "Climate change is not a distant prospect for these families. It has already
            > taken their homes and their livelihoods," said Tomás Rivera, who carried out
            > much of the fieldwork. "What happens next depends on government decisions."

            Officials told HLHR that a national adaptation plan was being drafted and that
            emergency food assistance had been distributed in the worst-affected districts.

            We recommend that the authorities include displaced people in the design of
            adaptation plans, protect settlements from forced eviction, and simplify document
            requirements so that children can go to school wherever their families have moved.
            Donor governments should ensure that climate finance reaches the communities most
            affected.
            """
        ),
        "author": "Tomás Rivera",
        "image": True,
        "caption": "Dry irrigation channels on abandoned farmland.",
        "pick": False,
        "sticky": False,
        "comments": [],
    },
    {
        "title": "Unpaid and unprotected: migrant domestic workers tell their stories",
        "section": "RESEARCH",
        "tags": ["migrants", "labour rights", "women's rights"],
        "days_ago": 390,
        "excerpt": (
            "Women employed in private homes describe withheld wages, confiscated passports and "
            "working days of up to 18 hours, with little prospect of redress."
        ),
        "body": _md(
            """\
            Migrant women employed as domestic workers in private households are routinely
            denied their wages, have their passports taken from them and are made to work up
            to 18 hours a day, according to testimony gathered by HLHR.

            We interviewed 48 women from six countries of origin, as well as recruitment agents,
            lawyers and staff of shelters that assist workers who have left abusive employers.
            Most of the women had paid high fees to recruitment agencies before departure and
            arrived in debt.

            ## Excluded from labour protections

            In the country where the women work, domestic work is excluded from the main labour
            law. Workers have no legal limit on working hours, no guaranteed weekly rest day and
            no access to labour courts. Their residence status is tied to their employer, which
            makes it very difficult to leave an abusive situation without becoming
            undocumented.

            > "The women we spoke to did not ask for anything extraordinary. They wanted to be
            > paid, to rest one day a week and to keep their own passports," said Lina Haddad,
            > HLHR's researcher on labour rights.

            Several women described being locked inside the homes where they worked. Others
            said they had been verbally abused or denied food. Shelter staff said that women who
            escaped were sometimes reported to the police by their employers for "absconding".

            ## A path to reform

            The ILO Domestic Workers Convention sets out basic standards, including fair terms
            of employment, a weekly rest period and the right of workers to keep their own
            travel and identity documents. HLHR calls on the government to:

            - bring domestic workers under the protection of the labour law;
            - allow workers to change employers without their permission;
            - prosecute the confiscation of passports and withholding of wages;
            - ratify and implement the ILO Domestic Workers Convention.

            The labour ministry told HLHR that a draft regulation on domestic work was under
            discussion.
            """
        ),
        "author": "Lina Haddad",
        "image": False,
        "caption": "",
        "pick": False,
        "sticky": False,
        "comments": [],
    },
    {
        "title": "A decade of enforced disappearances: patterns and accountability gaps",
        "section": "RESEARCH",
        "tags": ["enforced disappearance", "conflict", "accountability"],
        "days_ago": 520,
        "excerpt": (
            "Our analysis of 312 cases shows that most people who disappeared were last seen in "
            "the custody of state agents, and that almost no case has reached a court."
        ),
        "body": _md(
            """\
            HLHR has analysed 312 cases of people who went missing over a decade of armed
            conflict and found that, in most cases, the person was last seen in the custody of
            security forces or armed groups operating with their support.

            The cases were documented through interviews with relatives and witnesses, court
            filings and records kept by local associations of families of the disappeared. We
            included only cases in which at least two independent sources confirmed the
            circumstances of the disappearance.

            ## Patterns

            - In 71 percent of cases, witnesses described the person being taken by men in
              uniform or travelling in official vehicles.
            - Disappearances peaked in the months following major military operations.
            - Many of those who disappeared were young men from rural areas accused of
              supporting armed groups.

            An enforced disappearance occurs when a person is deprived of liberty by state
            agents, or people acting with their authorisation or acquiescence, followed by a
            refusal to acknowledge the detention or to reveal the person's fate. The crime
            continues for as long as the fate of the person remains unknown.

            > "For these families, the conflict has not ended," said Daniel Okafor, one of the
            > report's authors. "Every day without an answer is another day of uncertainty and
            > grief, and another day in which the law is not being applied."

            ## Accountability gaps

            Fewer than ten of the cases we examined led to a criminal investigation, and none
            has resulted in a conviction. Relatives described being turned away by prosecutors
            or told to wait for a peace process that has yet to deliver results.

            We urge the authorities to ratify the International Convention for the Protection
            of All Persons from Enforced Disappearance, establish an independent search body
            with access to all military and police records, and guarantee that families are
            kept informed and able to take part in investigations.
            """
        ),
        "author": "Daniel Okafor",
        "image": True,
        "caption": "Photographs of missing people held up by their relatives.",
        "pick": False,
        "sticky": False,
        "comments": [],
    },
    {
        "title": "Facial recognition at protests: what the procurement records show",
        "section": "RESEARCH",
        "tags": ["surveillance", "freedom of assembly", "digital rights"],
        "days_ago": 700,
        "excerpt": (
            "Public tenders reveal a rapid expansion of camera networks with facial recognition "
            "capability around squares where demonstrations are often held."
        ),
        "body": _md(
            """\
            Police forces have bought thousands of cameras capable of facial recognition over
            the past three years, many of them installed around public squares where
            demonstrations regularly take place, according to procurement records reviewed by
            HLHR.

            We examined 140 public tenders and contracts, alongside budget documents and
            responses to freedom of information requests. Together they show a tenfold
            increase in spending on video analytics, with little public debate and no specific
            legal framework governing its use.

            ## What we found

            - Most contracts did not specify how long images would be retained or who could
              access them.
            - Several tenders explicitly listed "identification of participants in public
              events" as a required feature.
            - No contract we reviewed required an assessment of the human rights impact of the
              technology before deployment.

            Facial recognition in public spaces allows the authorities to identify people on a
            large scale without their knowledge. When it is used around protests, it can deter
            people from exercising their right to peaceful assembly, particularly members of
            groups that already face discrimination.

            > "People should not have to choose between their privacy and their right to
            > protest," said Maryam Azadi, who led the analysis. "Right now, no one can say with
            > confidence what happens to the images these cameras collect."

            The interior ministry said the technology helps to locate missing persons and
            suspects in serious crimes, and that its use complies with data protection law.

            HLHR recommends a ban on the use of remote biometric identification in publicly
            accessible spaces, full publication of existing contracts, and independent audits
            of systems already in operation. Parliament should hold hearings before any
            further expansion is approved.
            """
        ),
        "author": "Maryam Azadi",
        "image": False,
        "caption": "",
        "pick": False,
        "sticky": False,
        "comments": [],
    },
    # ---------------------------------------------------------------- IMPACT
    {
        "title": "Student blogger released after eighteen months in custody",
        "section": "IMPACT",
        "tags": ["freedom of expression", "detention", "press freedom"],
        "days_ago": 40,
        "excerpt": (
            "A university student jailed over blog posts about campus corruption has been "
            "freed after an appeal court overturned his conviction."
        ),
        "body": _md(
            """\
            A university student who spent eighteen months in prison over a series of blog posts
            has been released after an appeal court overturned his conviction, ruling that his
            writing was protected expression.

            The student, whose name HLHR is withholding at his family's request, was arrested
            after publishing articles alleging that exam results at his university had been
            sold. He was convicted of "spreading false news" and sentenced to three years in
            prison.

            HLHR documented his case from the week of his arrest, raised it with the
            authorities and submitted information to UN experts. More than 20,000 readers
            signed an appeal calling for his release.

            ## The appeal ruling

            The appeal court found that the lower court had failed to consider whether the
            posts concerned a matter of public interest, and that the prosecution had not shown
            that the student knowingly published false information. The judges noted that
            criminal penalties for expression should be reserved for the most serious cases.

            > "This is a welcome decision, and it should never have taken eighteen months,"
            > said Tomás Rivera, who followed the case for HLHR. "His release shows that
            > sustained attention matters, but the law that put him in prison is still in
            > force."

            A lawyer for the family said the student was in good spirits and planned to return
            to his studies. The family thanked everyone who had written letters and followed
            the case.

            ## What remains

            The "false news" provision under which he was convicted has been used in at least
            a dozen other cases that HLHR is aware of. We continue to call for its repeal, and
            for the release of everyone held solely for peacefully expressing their views.

            We also urge the authorities to consider compensation for the time the student
            spent in prison.
            """
        ),
        "author": "Tomás Rivera",
        "image": True,
        "caption": "Supporters gather outside the prison gates on the morning of the release.",
        "pick": False,
        "sticky": False,
        "comments": [
            {
                "name": "Leila Farahani",
                "email": "leila.farahani@example.org",
                "body": "Wonderful news. I signed the appeal last year and kept hoping.",
                "reply_to": None,
            },
            {
                "name": "Ben Adeyemi",
                "email": "ben.adeyemi@example.org",
                "body": (
                    "Same here. Now the law itself needs to go, otherwise the next student "
                    "will face the same thing."
                ),
                "reply_to": 0,
            },
        ],
    },
    {
        "title": "Parliament drops clause criminalising humanitarian aid to migrants",
        "section": "IMPACT",
        "tags": ["migrants", "human rights defenders", "legislation"],
        "days_ago": 110,
        "excerpt": (
            "A provision that would have made it a crime to offer food, shelter or transport to "
            "undocumented migrants was removed from a new immigration law."
        ),
        "body": _md(
            """\
            Lawmakers have removed a clause from a new immigration bill that would have made it
            a criminal offence to provide food, shelter, medical care or transport to people
            without legal residence status.

            The clause had drawn strong criticism from humanitarian organisations, church
            groups, doctors' associations and human rights organisations, including HLHR, which
            warned that it would expose volunteers and ordinary citizens to prosecution for
            acts of basic solidarity.

            ## How the change came about

            Over several months, HLHR and partner organisations:

            - published a legal analysis showing that the clause went beyond the requirements
              of international instruments on migrant smuggling, which target those who act
              for financial or material gain;
            - collected testimony from volunteers who had been questioned by police for giving
              lifts to migrants;
            - briefed members of the parliamentary committee responsible for the bill.

            The committee's final report recommended removing the clause, and the amended bill
            was adopted by a clear majority.

            > "Helping a person in need should never be a crime," said Lina Haddad, HLHR's
            > migration researcher. "Parliament listened to the evidence, and thousands of
            > volunteers can continue their work without fear of prosecution."

            ## Concerns that remain

            While the removal of the clause is a significant step, other parts of the new law
            remain a cause for concern. They include an extension of the maximum period of
            immigration detention and limits on the right to appeal against deportation
            orders.

            HLHR will monitor how the law is implemented and continue to urge the authorities
            to ensure that people seeking protection have access to fair and efficient asylum
            procedures.
            """
        ),
        "author": "Lina Haddad",
        "image": False,
        "caption": "",
        "pick": False,
        "sticky": False,
        "comments": [],
    },
    {
        "title": "Bogotá workshop trains community monitors to document disappearances",
        "section": "IMPACT",
        "tags": ["enforced disappearance", "accountability", "training"],
        "days_ago": 180,
        "excerpt": (
            "Thirty relatives and community leaders completed a week-long course on recording "
            "testimony, protecting data and working with search authorities."
        ),
        "body": _md(
            """\
            Thirty relatives of missing people and community leaders from several regions have
            completed a week-long training course in Bogotá on documenting disappearances, run
            by HLHR together with local partner organisations.

            Participants learned how to record testimony in a consistent and respectful way,
            how to store information securely, and how to share it with official search and
            investigation bodies while protecting the safety of witnesses.

            ## Why documentation matters

            Families are often the first, and sometimes the only, people to collect
            information about a disappearance. Records made soon after the event, such as the
            time and place the person was last seen and descriptions of clothing or vehicles,
            can later prove vital for searches, identification and prosecutions.

            The course covered:

            - interview techniques that reduce the risk of re-traumatising witnesses;
            - informed consent and how to explain the use of information to families;
            - basic digital security, including encrypted storage and safe backups;
            - how to use international mechanisms, including the UN Working Group on Enforced
              or Involuntary Disappearances.

            > "The families already carry so much knowledge. Our role is to help them turn it
            > into records that institutions cannot ignore," said Maryam Azadi, who designed the
            > course for HLHR.

            One participant, whose son has been missing for more than ten years, said that the
            training had given her confidence to approach officials with organised files rather
            than scattered papers.

            ## What comes next

            Graduates of the course will train others in their communities, and HLHR will
            provide follow-up support over the coming year. Our partners have agreed to share
            anonymised, aggregate data so that patterns can be analysed across regions.

            A second workshop is planned for relatives in other parts of the country.
            """
        ),
        "author": "Maryam Azadi",
        "image": True,
        "caption": "Participants map case information during the workshop in Bogotá.",
        "pick": True,
        "sticky": False,
        "comments": [
            {
                "name": "Lucía Herrera",
                "email": "lucia.herrera@example.org",
                "body": (
                    "Gracias. It is important that families are treated as experts and not "
                    "only as witnesses. I hope the second workshop comes soon."
                ),
                "reply_to": None,
            },
        ],
    },
    {
        "title": "Court orders independent inquiry into deaths in police custody",
        "section": "IMPACT",
        "tags": ["torture", "police", "accountability"],
        "days_ago": 330,
        "excerpt": (
            "Following petitions by relatives, a high court ruled that internal police reviews "
            "of four deaths were inadequate and must be replaced by an independent inquiry."
        ),
        "body": _md(
            """\
            A high court has ordered an independent inquiry into the deaths of four men in
            police custody, ruling that internal investigations carried out by the police
            themselves did not meet the state's legal obligations.

            The four men died in separate incidents over two years. In each case, police said
            the deaths were caused by illness or self-harm. Relatives disputed those accounts,
            pointing to injuries visible on the bodies, and petitioned the court with the
            support of a legal aid organisation.

            HLHR submitted a brief to the court setting out the international standards that
            govern investigations into deaths in custody, including the Minnesota Protocol on
            the Investigation of Potentially Unlawful Death.

            ## The ruling

            The court found that:

            - the internal reviews were conducted by officers from the same stations where the
              deaths occurred;
            - families were not informed of key steps or given access to autopsy reports;
            - evidence such as custody logs and camera footage had not been preserved.

            When a person dies in custody, the state bears a heightened responsibility to
            explain what happened. Investigations must be prompt, thorough, impartial and
            independent, and families must be able to participate.

            > "The families have waited years to be taken seriously," said Daniel Okafor,
            > HLHR's researcher on policing. "This ruling recognises that the police cannot
            > investigate themselves when one of their own may be responsible."

            The interior ministry said it would comply with the decision. HLHR calls for the
            inquiry to be given full powers to compel witnesses and documents, and for its
            findings to be made public.

            We will follow the inquiry and continue to support the families.
            """
        ),
        "author": "Daniel Okafor",
        "image": True,
        "caption": "Relatives hold a vigil for men who died in police custody.",
        "pick": False,
        "sticky": False,
        "comments": [],
    },
    {
        "title": "Refugee children return to school after registration rules change",
        "section": "IMPACT",
        "tags": ["refugees", "children", "education"],
        "days_ago": 460,
        "excerpt": (
            "An education ministry decree now allows children to enrol without residence "
            "permits or previous school certificates, opening classrooms to thousands."
        ),
        "body": _md(
            """\
            Thousands of refugee children are expected to return to school this term after the
            education ministry relaxed the documents required for enrolment, a change long
            sought by families, teachers and rights groups.

            Until now, schools required a valid residence permit and a certificate from a
            previous school before a child could be registered. Many refugee families could
            provide neither, leaving their children out of education for months or years.

            Under the new decree, children may be enrolled on the basis of a simple declaration
            by a parent or guardian, and schools must offer placement tests for those without
            certificates.

            ## The road to reform

            HLHR published research on out-of-school refugee children, with case studies from
            three cities, and shared its findings with the ministry and with the UN Committee
            on the Rights of the Child ahead of the country's periodic review. Teachers' unions
            and parents' associations also campaigned for the change.

            > "Every child has the right to learn, whatever their papers say," said Tomás Rivera,
            > who worked on the research. "We are glad the ministry has recognised that, and we
            > will be watching to make sure schools apply the new rules."

            ## Making it work in practice

            Families and teachers have told HLHR that several challenges remain:

            - some head teachers are not yet aware of the decree;
            - language support for children who do not speak the language of instruction is
              limited;
            - transport costs remain a barrier for families living far from schools.

            HLHR encourages the ministry to publish clear guidance for schools, fund language
            classes, and monitor enrolment figures for refugee children in each district.
            """
        ),
        "author": "Tomás Rivera",
        "image": True,
        "caption": "Pupils on their first day back at a community school.",
        "pick": False,
        "sticky": False,
        "comments": [],
    },
    {
        "title": "Death penalty abolished for drug offences after long campaign",
        "section": "IMPACT",
        "tags": ["death penalty", "legislation", "drug policy"],
        "days_ago": 610,
        "excerpt": (
            "Lawmakers voted to remove capital punishment for drug-related crimes. The reform "
            "applies to people already on death row for such offences."
        ),
        "body": _md(
            """\
            Parliament has voted to abolish the death penalty for drug offences, a reform that
            will also apply to prisoners already sentenced to death for drug-related crimes.
            Their sentences are to be reviewed and replaced with terms of imprisonment.

            Drug offences had accounted for a large share of death sentences handed down in
            recent years. Many of those sentenced were people from poor backgrounds who had
            carried drugs for others, often under pressure or in exchange for small sums.

            ## Years of advocacy

            Lawyers, families of prisoners, faith leaders and human rights organisations
            campaigned for the reform for more than a decade. HLHR documented the cases of
            people on death row, highlighted concerns about the fairness of their trials, and
            submitted information to UN human rights mechanisms.

            Under international law, countries that have not yet abolished the death penalty
            may impose it only for the "most serious crimes". UN human rights bodies have
            consistently found that drug offences do not meet this threshold.

            > "This vote will save lives, and it shows that change is possible when people
            > refuse to give up," said Lina Haddad, HLHR's death penalty researcher. "The next
            > step should be to abolish the death penalty for all crimes."

            ## Next steps

            HLHR urges the authorities to:

            - carry out the resentencing of affected prisoners promptly and transparently;
            - ensure that all prisoners have access to legal representation during the review;
            - impose an official moratorium on executions for all offences, with a view to
              full abolition.

            We also call on the government to support the UN General Assembly resolution on a
            moratorium on the use of the death penalty at its next vote.
            """
        ),
        "author": "Lina Haddad",
        "image": False,
        "caption": "",
        "pick": False,
        "sticky": False,
        "comments": [],
    },
    # ------------------------------------------------------------- RESOURCES
    {
        "title": "A practical guide to digital safety for human rights defenders",
        "section": "RESOURCES",
        "tags": ["digital rights", "surveillance", "human rights defenders"],
        "days_ago": 55,
        "excerpt": (
            "Simple, realistic steps to protect your accounts, devices and contacts, based on "
            "questions we receive most often from activists and journalists."
        ),
        "body": _md(
            """\
            Digital security can feel overwhelming, especially for people already working under
            pressure. This guide sets out practical steps that make a real difference, starting
            with the simplest. No single measure makes anyone completely safe, so think in
            layers and review your situation regularly.

            ## Start with your accounts

            - Use a different, long passphrase for each important account and store them in a
              reputable password manager.
            - Turn on two-factor authentication, preferably with an app or a hardware key
              rather than text messages.
            - Check which devices are logged in to your email and messaging accounts, and sign
              out any you do not recognise.

            ## Look after your devices

            - Install updates for your phone, computer and apps as soon as they are available.
            - Set a strong screen lock and enable full-disk encryption.
            - Remove apps you no longer use, and review which apps can access your location,
              microphone and camera.

            ## Communicate carefully

            End-to-end encrypted messaging apps protect the content of your messages, but not
            necessarily the fact that you are in contact with someone. Use disappearing
            messages for sensitive conversations, and agree with your contacts on what should
            never be written down.

            > "Most compromises we see start with something ordinary: a reused password, a
            > convincing link, a phone that has not been updated in months," said Daniel Okafor,
            > who runs HLHR's digital lab. "Getting the basics right closes a lot of doors."

            ## Plan for the worst

            Think about what would happen if your phone were seized at a checkpoint or during
            an arrest. Who would be at risk from the information on it? Keep sensitive files
            off your everyday phone where possible, and make sure a trusted colleague knows
            what to do if you lose access to your accounts.

            If you suspect that your device has been infected with spyware, stop using it for
            sensitive work and seek help from a specialised organisation. Do not reset it
            before seeking advice, as this may erase evidence.
            """
        ),
        "author": "Daniel Okafor",
        "image": True,
        "caption": "Two-factor authentication being set up on a campaigner's phone.",
        "pick": True,
        "sticky": False,
        "comments": [
            {
                "name": "Farid N.",
                "email": "farid.n@example.org",
                "body": (
                    "Very clear. Could you publish a version of this guide in other "
                    "languages? Many people in my network would benefit."
                ),
                "reply_to": None,
            },
            {
                "name": "Ines Carvalho",
                "email": "ines.carvalho@example.org",
                "body": (
                    "The point about not resetting a phone before getting advice is something "
                    "I did not know. Thank you."
                ),
                "reply_to": None,
            },
        ],
    },
    {
        "title": "حق آموزش برای همه کودکان، بدون هیچ تبعیضی",
        "section": "RESOURCES",
        "tags": ["education", "children", "refugees"],
        "days_ago": 160,
        "excerpt": (
            "آموزش حقی بنیادین است، نه امتیاز. این راهنما توضیح می‌دهد که قوانین "
            "بین‌المللی درباره حق کودکان بر آموزش چه می‌گویند و خانواده‌ها چه "
            "کاری می‌توانند انجام دهند."
        ),
        "body": _md(
            """\
            هر کودکی، صرف‌نظر از جنسیت، زبان، دین، ملیت یا وضعیت اقامت خانواده‌اش، حق
            دارد به مدرسه برود و در محیطی امن و محترمانه آموزش ببیند. این اصل در کنوانسیون
            حقوق کودک و در میثاق بین‌المللی حقوق اقتصادی، اجتماعی و فرهنگی به روشنی بیان
            شده است.

            بر اساس ماده ۲۸ کنوانسیون حقوق کودک، دولت‌ها موظف‌اند آموزش ابتدایی را
            اجباری و برای همه رایگان کنند و آموزش متوسطه را در دسترس همه کودکان قرار دهند.
            ماده ۲ همین کنوانسیون نیز هرگونه تبعیض میان کودکان را ممنوع می‌کند.

            ## موانع رایج

            در بسیاری از کشورها، کودکان پناهنده و مهاجر به دلیل نداشتن مدارک هویتی یا اجازه
            اقامت از ثبت‌نام در مدرسه باز می‌مانند. دختران در برخی مناطق با ازدواج
            زودهنگام، کار خانگی یا هزینه‌های پنهان تحصیل روبه‌رو هستند. کودکان دارای
            معلولیت نیز اغلب به مدارسی که نیازهایشان را در نظر بگیرد دسترسی ندارند.

            > «مدرسه برای کودکی که از جنگ گریخته، فقط محل یادگیری نیست؛ جایی امن است که به
            > او کمک می‌کند دوباره زندگی عادی را تجربه کند.» — لینا حداد، پژوهشگر سازمان ما

            ## اگر فرزند شما از ثبت‌نام محروم شده است

            - از مدرسه بخواهید دلیل رد ثبت‌نام را به صورت کتبی اعلام کند.
            - با یک سازمان محلی حمایت حقوقی یا نهادهای حامی پناهندگان تماس بگیرید.
            - همه نامه‌ها، رسیدها و مدارک را نگه دارید و از آن‌ها نسخه تهیه کنید.
            - در صورت امکان، با خانواده‌های دیگری که با مشکل مشابه روبه‌رو هستند
              ارتباط بگیرید.

            دولت‌ها باید موانع اداری را بردارند، به مدارس دستورالعمل روشن بدهند و اطمینان
            حاصل کنند که هیچ کودکی به خاطر وضعیت خانواده‌اش از آموزش محروم نمی‌شود.
            متن کامل کنوانسیون حقوق کودک در
            [وب‌سایت دفتر کمیساریای عالی حقوق بشر سازمان ملل](https://www.ohchr.org/)
            در دسترس است.
            """
        ),
        "author": "Maryam Azadi",
        "image": False,
        "caption": "",
        "pick": False,
        "sticky": False,
        "comments": [],
    },
    {
        "title": "Know your rights: if you are arrested at a protest",
        "section": "RESOURCES",
        "tags": ["freedom of assembly", "detention", "fair trial"],
        "days_ago": 275,
        "excerpt": (
            "What international standards guarantee if you are detained during a "
            "demonstration, and practical steps to prepare before you go."
        ),
        "body": _md(
            """\
            Taking part in a peaceful protest is a right protected by international law. Even
            so, people are sometimes detained at or after demonstrations. Knowing your rights,
            and preparing in advance, can make a difficult situation safer.

            This guide describes international standards. National laws vary, so check with a
            local lawyer or legal aid group for advice that applies where you live.

            ## Before you go

            - Write the phone number of a lawyer or legal support line on your arm in
              permanent ink, in case your phone is taken.
            - Tell someone you trust where you are going and when you expect to be back.
            - Carry any medication you need, with a copy of the prescription.
            - Consider leaving your everyday phone at home, or lock it with a strong passcode
              and disable biometric unlocking.

            ## If you are detained

            Under international standards, you have the right to:

            - be told the reasons for your arrest, in a language you understand;
            - contact a lawyer and inform a family member or another person of your choice;
            - be brought promptly before a judge if you remain in custody;
            - remain silent and not be forced to incriminate yourself;
            - be treated humanely and receive medical care if you need it.

            Stay calm and avoid physical resistance, even if you believe the arrest is
            unlawful. Do not sign documents you do not understand or agree with, and ask for
            an interpreter if needed.

            > "Preparation is not about expecting the worst. It is about making sure a bad day
            > does not become a dangerous one," said Tomás Rivera, who compiled this guide with
            > lawyers who regularly represent protesters.

            ## Afterwards

            Write down everything you remember as soon as possible: times, places, officers'
            identification numbers and the names of witnesses. Photograph any injuries and see
            a doctor. If you were ill-treated, a lawyer can advise you on how to file a
            complaint.
            """
        ),
        "author": "Tomás Rivera",
        "image": True,
        "caption": "Volunteer legal observers in high-visibility vests at a demonstration.",
        "pick": False,
        "sticky": False,
        "comments": [
            {
                "name": "Chloé Martin",
                "email": "chloe.martin@example.org",
                "body": (
                    "Writing the lawyer's number on your arm sounds strange until you need it. "
                    "It helped a friend of mine last spring."
                ),
                "reply_to": None,
            },
        ],
    },
    {
        "title": "Explainer: how UN treaty bodies review a country's record",
        "section": "RESOURCES",
        "tags": ["United Nations", "accountability", "international law"],
        "days_ago": 430,
        "excerpt": (
            "Ten committees of independent experts monitor how states apply the core human "
            "rights treaties. Here is how the process works and where civil society fits in."
        ),
        "body": _md(
            """\
            When a state ratifies one of the core international human rights treaties, it
            agrees not only to respect the rights it contains but also to have its record
            examined regularly by a committee of independent experts. These committees are
            known as the UN treaty bodies.

            There are ten of them. Examples include the Human Rights Committee, which monitors
            the International Covenant on Civil and Political Rights, the Committee against
            Torture and the Committee on the Rights of the Child.

            ## The reporting cycle

            The review of a state usually follows these steps:

            - the state submits a written report on how it is implementing the treaty;
            - the committee may send a list of issues asking for further information;
            - members of the committee hold a public dialogue with a government delegation;
            - the committee adopts concluding observations, setting out concerns and
              recommendations.

            Many committees now offer a simplified procedure, in which the list of issues is
            sent before the state writes its report, and the state's replies become the report
            itself.

            ## Where civil society fits in

            Non-governmental organisations, including HLHR, can submit their own written
            information, sometimes called shadow or alternative reports, and brief committee
            members before the dialogue. This helps experts ask precise questions based on
            evidence from the ground.

            > "Concluding observations are only a starting point," said Lina Haddad, who
            > coordinates HLHR's submissions to treaty bodies. "Their value depends on whether
            > people at home use them to press for change."

            ## Individual complaints

            Most treaty bodies can also consider complaints from individuals who say their
            rights have been violated, but only for states that have accepted this procedure
            and usually only after domestic remedies have been exhausted.

            Reports, schedules and concluding observations are published on the
            [OHCHR website](https://www.ohchr.org/).
            """
        ),
        "author": "Lina Haddad",
        "image": False,
        "caption": "",
        "pick": False,
        "sticky": False,
        "comments": [],
    },
    {
        "title": "A short glossary of key terms in human rights law",
        "section": "RESOURCES",
        "tags": ["international law", "United Nations"],
        "days_ago": 800,
        "excerpt": (
            "Plain-language definitions of terms that appear often in our reporting, from "
            "arbitrary detention to universal jurisdiction."
        ),
        "body": _md(
            """\
            Human rights reporting uses a number of legal terms that are not always explained.
            This glossary gives short, plain-language definitions of those that appear most
            often on our site. They are simplified and are not a substitute for legal advice.

            ## Detention and justice

            - **Arbitrary detention**: deprivation of liberty without a legal basis, in breach
              of fair-trial guarantees, or as punishment for exercising a protected right.
            - **Incommunicado detention**: holding someone without access to family, lawyers
              or doctors. It greatly increases the risk of torture.
            - **Enforced disappearance**: detention by state agents, or people acting with
              their support, followed by a refusal to acknowledge it or to reveal the
              person's fate.
            - **Impunity**: the failure to hold perpetrators of violations to account.

            ## Protection

            - **Refugee**: a person outside their country who has a well-founded fear of
              persecution and cannot rely on that country's protection.
            - **Asylum seeker**: a person who has applied for international protection and is
              awaiting a decision.
            - **Non-refoulement**: the rule that no one may be returned to a place where they
              would face a real risk of persecution, torture or other serious harm.
            - **Human rights defender**: anyone who peacefully acts to promote or protect
              human rights, whether professionally or not.

            ## The international system

            - **Ratification**: the act by which a state agrees to be legally bound by a
              treaty.
            - **Reservation**: a statement by which a state seeks to exclude or modify the
              effect of certain treaty provisions.
            - **Special procedures**: independent experts appointed by the UN Human Rights
              Council to report on a theme or a country.
            - **Universal Periodic Review**: a process in which the human rights record of
              every UN member state is reviewed by other states.
            - **Universal jurisdiction**: the principle that courts in one country may try
              certain grave crimes, such as torture, wherever they were committed.

            If you would like us to add a term, write to us using the contact details on our
            TAKE ACTION page.
            """
        ),
        "author": "Daniel Okafor",
        "image": False,
        "caption": "",
        "pick": False,
        "sticky": False,
        "comments": [],
    },
    # ------------------------------------------------------------- Important
    {
        "title": "Urgent: detained lawyer held incommunicado must be allowed visits",
        "section": "Important",
        "tags": ["detention", "torture", "human rights defenders"],
        "days_ago": 5,
        "excerpt": (
            "A human rights lawyer has been held for twelve days without contact with family "
            "or counsel. HLHR fears he is at serious risk of ill-treatment."
        ),
        "body": _md(
            """\
            HLHR is gravely concerned for the safety of a human rights lawyer who has been held
            incommunicado for twelve days since his arrest at his office. His family has not
            been told where he is being held, and lawyers who have tried to represent him have
            been refused access.

            The lawyer is known for representing people accused in politically sensitive cases,
            including several protesters and two journalists. Colleagues say he had recently
            filed complaints alleging that some of his clients had been ill-treated in custody.

            According to his family, plain-clothes officers searched his office and took
            computers and case files, including confidential documents relating to clients. No
            warrant was shown. The authorities have not publicly confirmed his arrest or
            announced any charges.

            ## Why this is urgent

            Incommunicado detention places people at heightened risk of torture and other
            ill-treatment, and prolonged incommunicado detention can itself amount to such
            treatment. The seizure of confidential client files also undermines the right of
            everyone to a fair trial.

            > "Lawyers must be able to do their work without being treated as the enemy," said
            > Maryam Azadi, HLHR's researcher on the region. "The first step is simple: tell his
            > family where he is and let him see a lawyer today."

            The UN Basic Principles on the Role of Lawyers state that governments must ensure
            lawyers can perform their professional functions without intimidation, hindrance or
            improper interference, and that they are not identified with their clients' causes.

            ## What we are asking for

            - Disclose the lawyer's whereabouts and legal status immediately.
            - Allow him access to a lawyer of his choice, his family and any medical care he
              needs.
            - Release him unless he is promptly charged with a recognisable criminal offence.
            - Return the confidential client files that were seized.

            HLHR has raised the case with the relevant UN special procedures.
            """
        ),
        "author": "Maryam Azadi",
        "image": True,
        "caption": "The law office where the detained lawyer worked, after the search.",
        "pick": False,
        "sticky": False,
        "comments": [
            {
                "name": "A. Rahimi",
                "email": "a.rahimi@example.org",
                "body": (
                    "He represented my cousin two years ago without asking for a fee. I hope "
                    "he is safe."
                ),
                "reply_to": None,
            },
            {
                "name": "Grace Liu",
                "email": "grace.liu@example.org",
                "body": "Shared with our bar association's human rights committee.",
                "reply_to": None,
            },
        ],
    },
    {
        "title": "Joint statement: protect civilians and aid workers in armed conflict",
        "section": "Important",
        "tags": ["conflict", "international law", "civilians"],
        "days_ago": 28,
        "excerpt": (
            "HLHR and partner organisations remind all parties to armed conflicts of their "
            "obligations to spare civilians and allow humanitarian aid to reach them."
        ),
        "body": _md(
            """\
            We, the undersigned organisations, are alarmed by continuing reports of attacks
            affecting civilians, hospitals, schools and humanitarian workers in armed conflicts
            around the world. We call on all parties, whether state forces or non-state armed
            groups, to respect their obligations under international humanitarian law.

            The rules are not new. The Geneva Conventions, ratified by every state in the world,
            and customary international humanitarian law set out clear limits on how wars may
            be fought. They include:

            - the principle of distinction, which requires parties to distinguish at all times
              between civilians and combatants, and between civilian objects and military
              objectives;
            - the prohibition of indiscriminate attacks and of attacks expected to cause
              excessive civilian harm;
            - the obligation to take all feasible precautions to spare civilians;
            - the special protection owed to medical personnel, facilities and transport.

            ## Humanitarian access

            Parties to a conflict must allow and facilitate the rapid and unimpeded passage of
            impartial humanitarian relief for civilians in need. The starvation of civilians as
            a method of warfare is prohibited. Aid workers must be respected and protected.

            > "These rules exist because every generation has learned, at terrible cost, what
            > happens without them," said Tomás Rivera, who coordinated the statement for HLHR.
            > "They apply in every conflict, to every party, without exception."

            ## Accountability

            Serious violations of international humanitarian law may amount to war crimes. We
            urge states to support independent investigations, to cooperate with international
            accountability mechanisms, and to make use of universal jurisdiction where
            appropriate.

            We also call on states that supply arms to parties to a conflict to halt transfers
            where there is a clear risk they will be used to commit serious violations.

            More information on the rules of international humanitarian law is available from
            the [International Committee of the Red Cross](https://www.icrc.org/).
            """
        ),
        "author": "Tomás Rivera",
        "image": False,
        "caption": "",
        "pick": False,
        "sticky": False,
        "comments": [],
    },
    {
        "title": "Genève talks: states urged to fund care for torture survivors",
        "section": "Important",
        "tags": ["torture", "United Nations", "accountability"],
        "days_ago": 86,
        "excerpt": (
            "As diplomats meet in Geneva, rehabilitation centres say demand for their services "
            "far exceeds the resources available to them."
        ),
        "body": _md(
            """\
            As states gather in Genève for talks on the prevention of torture, HLHR and partner
            organisations are urging governments to make generous and predictable
            contributions to support the rehabilitation of torture survivors.

            Rehabilitation centres around the world provide medical care, psychological
            support, legal assistance and social services to people who have survived torture.
            Many of them told HLHR that they are turning people away because demand has grown
            faster than the resources available to them.

            ## A right, not charity

            The Convention against Torture requires states to ensure that victims obtain
            redress and have an enforceable right to fair and adequate compensation, including
            the means for as full rehabilitation as possible. The Committee against Torture has
            made clear that rehabilitation should be holistic, available without delay and not
            dependent on the victim pursuing legal action.

            The UN Voluntary Fund for Victims of Torture, established by the General Assembly,
            channels contributions from states and others to organisations that assist
            survivors and their families. Information about its work is available on the
            [OHCHR website](https://www.ohchr.org/).

            > "Survivors tell us that being believed, and being helped to rebuild their lives,
            > matters as much as seeing those responsible held to account," said Lina Haddad,
            > HLHR's torture prevention researcher. "States that condemn torture should also
            > pay for its consequences to be addressed."

            ## Our recommendations

            HLHR calls on states to:

            - increase contributions to the UN Voluntary Fund and commit to multi-year funding;
            - guarantee access to rehabilitation services in national law, including for
              refugees and asylum seekers;
            - ratify the Optional Protocol to the Convention against Torture and establish
              effective national preventive mechanisms.

            We will publish a summary of pledges and statements made during the talks.
            """
        ),
        "author": "Lina Haddad",
        "image": True,
        "caption": "The Palais des Nations in Genève on the opening day of the talks.",
        "pick": True,
        "sticky": False,
        "comments": [
            {
                "name": "Dr. Miriam Cohen",
                "email": "miriam.cohen@example.org",
                "body": (
                    "As a clinician working with survivors I can confirm the waiting lists. "
                    "Multi-year funding would let us plan care properly."
                ),
                "reply_to": None,
            },
        ],
    },
    {
        "title": "Urgent action: rights defender faces retrial on vague charges",
        "section": "Important",
        "tags": ["human rights defenders", "fair trial", "freedom of expression"],
        "days_ago": 240,
        "excerpt": (
            "Acquitted last year, a community organiser is being tried again on the same "
            "allegations. Her hearing is scheduled for next month."
        ),
        "body": _md(
            """\
            A community organiser who campaigns for land rights is due to stand trial again on
            charges of "inciting public disorder", despite having been acquitted of the same
            allegations last year.

            The charges relate to a public meeting she helped to organise, at which villagers
            discussed their opposition to a mining concession. Video recordings of the meeting,
            reviewed by HLHR, show a calm discussion, with no calls to violence.

            The trial court acquitted her, finding that the prosecution had presented no
            evidence that her words had caused or were likely to cause disorder. The
            prosecution appealed, and a higher court ordered a retrial without addressing the
            lower court's reasoning in detail.

            ## Concerns about the case

            - The offence of "inciting public disorder" is not clearly defined in law.
            - The organiser has been subject to a travel ban for more than two years while the
              case has been pending.
            - Other members of her community have reported being questioned by police about
              their contacts with her.

            Human rights defenders must be able to carry out their work without fear of
            reprisals. Using vaguely worded offences to prosecute peaceful activity is
            incompatible with the rights to freedom of expression and of peaceful assembly.

            > "She has already been through one trial and was acquitted. Putting her through
            > it again sends a clear warning to anyone who speaks up about land," said Daniel
            > Okafor, who has followed the case for HLHR.

            ## Take action

            Write to the country's minister of justice, politely urging the authorities to
            drop the charges and lift the travel ban. You can find guidance on writing
            effective letters on our TAKE ACTION page.

            HLHR will send an observer to the hearing.
            """
        ),
        "author": "Daniel Okafor",
        "image": False,
        "caption": "",
        "pick": False,
        "sticky": False,
        "comments": [],
    },
    {
        "title": "HLHR publishes its annual funding and transparency report",
        "section": "Important",
        "tags": ["transparency", "accountability"],
        "days_ago": 365,
        "excerpt": (
            "Our annual report sets out where our money comes from, how we spend it and how we "
            "protect our editorial independence."
        ),
        "body": _md(
            """\
            HLHR has published its annual funding and transparency report, setting out where
            our income comes from, how it is spent and the rules we follow to protect our
            independence.

            We believe that an organisation that asks others to be accountable should hold
            itself to the same standard. Readers, partners and the people whose stories we
            tell are entitled to know who supports our work.

            ## Where our money comes from

            Our income comes from three main sources:

            - individual donations, most of them small and recurring;
            - grants from independent charitable foundations;
            - fees for training courses delivered to civil society organisations.

            We do not accept money from governments, political parties or companies whose
            activities we might need to investigate. Every institutional donor that gives more
            than a modest threshold is named in the report.

            ## How we spend it

            The largest share of our spending goes to research and reporting, including
            fieldwork, translation and legal review. Smaller shares cover digital security,
            staff wellbeing, fundraising and administration.

            > "Independence is not only about who pays us. It is about making sure no donor
            > can influence what we investigate or what we publish," said Maryam Azadi, who
            > chairs HLHR's editorial board.

            ## Editorial safeguards

            Donors have no role in choosing topics, reviewing drafts or approving publications.
            Any staff member who believes a funding relationship could affect our work can
            raise the concern directly with the board.

            The report also includes information on staff numbers, our complaints procedure
            and the corrections we published over the year. We welcome questions about any of
            its contents.
            """
        ),
        "author": "Maryam Azadi",
        "image": False,
        "caption": "",
        "pick": False,
        "sticky": False,
        "comments": [],
    },
    {
        "title": "Open letter: no death sentences for crimes committed by children",
        "section": "Important",
        "tags": ["death penalty", "children", "juvenile justice"],
        "days_ago": 900,
        "excerpt": (
            "International law absolutely prohibits the death penalty for offences committed "
            "by people under 18. We ask governments to end the practice everywhere."
        ),
        "body": _md(
            """\
            To the ministers of justice of all states that retain the death penalty:

            We write to urge you to ensure that no person is sentenced to death, or executed,
            for an offence committed when they were under the age of 18.

            This prohibition is one of the clearest rules of international human rights law.
            It is set out in the International Covenant on Civil and Political Rights and in
            the Convention on the Rights of the Child, which has been ratified by almost every
            state in the world. It applies regardless of the seriousness of the crime.

            ## Why the rule exists

            Children are still developing. They are more vulnerable to pressure, less able to
            understand legal proceedings and more capable of rehabilitation than adults. These
            differences are recognised in justice systems around the world, and they are the
            reason children must never face the most severe of all punishments.

            ## Problems in practice

            Our research has found that people may be sentenced to death for juvenile offences
            when:

            - their age is not properly established because birth records are missing;
            - courts place the burden on the defendant to prove they were under 18;
            - they are held until they turn 18 and then executed for the earlier offence.

            > "Every state has accepted this rule. What is needed now is the will to apply it
            > in every case," said Tomás Rivera, HLHR's researcher on juvenile justice.

            ## Our requests

            We respectfully ask that you:

            - commute every death sentence imposed for an offence committed by a child;
            - ensure that, where age is in doubt, the person is given the benefit of the doubt;
            - abolish the death penalty entirely, as a growing majority of states have done.

            We would welcome the opportunity to discuss these recommendations with your
            ministry.
            """
        ),
        "author": "Tomás Rivera",
        "image": False,
        "caption": "",
        "pick": False,
        "sticky": False,
        "comments": [],
    },
]

PAGES = [
    {
        "title": "WHO WE ARE",
        "slug": "who-we-are",
        "body": _md(
            """\
            HLHR is an independent newsroom dedicated to reporting on human rights. We
            investigate abuses, explain the law that protects people from them, and follow
            cases until there is an answer. Our work is read by affected communities,
            journalists, lawyers, diplomats and anyone who believes that rights belong to
            everyone.

            ## Our mission

            We exist to make human rights violations harder to hide and easier to challenge.
            That means documenting what happened, to whom and by whom, with enough care that
            our findings can be relied upon by courts, UN bodies and the public.

            ## Independence

            We are not affiliated with any government, political party, religious body or
            company. We do not take sides in elections or armed conflicts. We assess all actors
            against the same standards of international human rights and humanitarian law.

            ## How we work

            - **Verification first.** Every factual claim is checked against at least two
              independent sources, or clearly attributed when that is not possible.
            - **Do no harm.** We obtain informed consent from the people we interview, withhold
              identifying details when publication could put anyone at risk, and never pay for
              testimony.
            - **Right of reply.** Before publishing allegations, we put them to the people or
              institutions concerned and report their response fairly.
            - **Expert review.** Legal analysis is reviewed by a specialist, and research
              reports are read by at least one person who was not involved in the project.

            ## Funding transparency

            Our income comes from individual donors, independent foundations and training
            fees. We do not accept funds from governments, political parties or companies whose
            conduct we may need to investigate. We publish an annual report that names our
            institutional donors and shows how our money is spent. Donors have no say over what
            we cover or how.

            ## Editorial standards

            Our editorial board sets and reviews our standards. We distinguish clearly between
            news reporting, research findings and advocacy. Headlines must be supported by the
            text beneath them, and images must not mislead. Where we use illustrations rather
            than photographs, we say so.

            ## Corrections policy

            We make mistakes, and we correct them openly. If we publish something inaccurate,
            we fix it promptly and add a note at the end of the article explaining what was
            changed and when. Significant errors are also listed in our annual transparency
            report. We do not silently edit published facts.

            If you believe something we have published is wrong, please tell us, giving as
            much detail as you can. Every request is read by an editor, and we aim to respond
            within five working days.
            """
        ),
    },
    {
        "title": "TAKE ACTION",
        "slug": "take-action",
        "body": _md(
            """\
            Change rarely comes from a single report. It comes when many people keep asking
            the same questions until they are answered. Here are ways you can help, along with
            advice on doing so safely.

            ## Write to decision-makers

            Letters and emails to elected representatives, ministries and embassies do make a
            difference, especially when they are specific and polite.

            - Keep it short: explain who you are, the case or issue, and one clear request.
            - Refer to the relevant law or international standard where you can.
            - Be courteous. Respectful messages are more likely to be read and answered.
            - Ask for a reply, and follow up if you do not receive one.

            ## Support documentation

            Careful documentation is the foundation of accountability. You can help by
            supporting local organisations that collect testimony, by volunteering skills such
            as translation or legal research, and by sharing our reports with people who can
            act on them. Please share accurate information only, and link to the original
            source rather than screenshots.

            ## If you are at risk

            If you live somewhere where speaking out is dangerous, your safety comes first.
            Consider these steps before engaging with our work:

            - Use an up-to-date device with a strong screen lock.
            - Prefer end-to-end encrypted messaging and turn on disappearing messages.
            - Think about who can see your social media activity, including likes and shares.
            - Do not sign public petitions with your real name if doing so could put you or
              your family in danger.
            - Talk to people you trust about what to do if you are detained.

            Our RESOURCES section includes a practical guide to digital safety.

            ## Sending us information

            We welcome information about human rights violations, but we ask you to protect
            yourself and others when you send it.

            - Do not include your name, address or other identifying details unless you are
              comfortable doing so. We can work with anonymous tips.
            - Remove metadata such as location from photos and documents where possible.
            - Avoid using a work device or network, which may be monitored.
            - Do not send us material that you obtained by putting yourself at serious risk.

            We treat all information confidentially. We will never publish a source's identity
            without their explicit consent, and we verify everything we receive before using
            it. We may not be able to reply to every message, but every one is read.

            ## Donate

            HLHR is funded by readers and independent foundations. A regular donation, however
            small, helps us plan long-term investigations and keep our work independent.

            Thank you for standing with the people whose rights are at stake.
            """
        ),
    },
]

VOCABULARY = {
    "subjects": [
        "rights groups",
        "a UN panel",
        "lawyers for the detainees",
        "relatives of the victims",
        "a coalition of local organisations",
        "UN human rights experts",
        "the Special Rapporteur",
        "a parliamentary committee",
        "the national human rights commission",
        "an independent monitoring body",
        "journalists' unions",
        "the bar association",
        "families of the disappeared",
        "survivors of the attack",
        "community leaders",
        "doctors who treated the injured",
        "former detainees",
        "women's rights organisations",
        "student associations",
        "trade unions",
        "humanitarian agencies",
        "a group of legal scholars",
        "the ombudsperson's office",
        "refugee-led organisations",
        "the UN Committee against Torture",
        "the Human Rights Committee",
        "the UN Working Group on Arbitrary Detention",
        "regional human rights bodies",
        "defence lawyers",
        "residents of the district",
        "religious leaders",
        "child protection workers",
        "independent journalists",
        "HLHR researchers",
        "a fact-finding mission",
        "disability rights advocates",
        "opposition lawmakers",
        "press freedom organisations",
        "teachers' associations",
        "health workers",
        "indigenous community representatives",
        "prison monitors",
        "witnesses interviewed by HLHR",
        "a lawyer for the families",
    ],
    "verbs": [
        "condemn",
        "call for an inquiry into",
        "document",
        "raise concerns about",
        "demand an end to",
        "investigate",
        "report on",
        "challenge in court",
        "urge the authorities to halt",
        "denounce",
        "call for the repeal of",
        "seek information about",
        "warn against",
        "publish evidence of",
        "protest against",
        "question the legality of",
        "appeal against",
        "monitor",
        "criticise",
        "expose",
        "call for accountability for",
        "demand transparency about",
        "highlight",
        "examine",
        "submit a complaint about",
        "press for action on",
        "call for a moratorium on",
        "seek redress for",
        "welcome the review of",
        "ask parliament to reconsider",
        "campaign against",
        "record testimony about",
        "express alarm at",
    ],
    "objects": [
        "the detention of journalists",
        "forced evictions in the capital",
        "the use of excessive force against protesters",
        "the death penalty for drug offences",
        "restrictions on independent media",
        "the treatment of asylum seekers at the border",
        "conditions in pretrial detention",
        "the prosecution of peaceful activists",
        "enforced disappearances in the north",
        "the use of spyware against lawyers",
        "internet shutdowns during elections",
        "the closure of civil society organisations",
        "discrimination against religious minorities",
        "child labour in agriculture",
        "the denial of medical care to prisoners",
        "torture in police custody",
        "the expulsion of refugees",
        "attacks on health facilities",
        "violence against women human rights defenders",
        "the criminalisation of humanitarian aid",
        "mass surveillance of public spaces",
        "the trial of opposition figures",
        "pushbacks of migrants at sea",
        "the detention of children with adults",
        "restrictions on freedom of assembly",
        "the ban on a peaceful march",
        "arbitrary travel bans on activists",
        "a new foreign agents law",
        "the blocking of news websites",
        "deaths in immigration detention",
        "the demolition of homes in informal settlements",
        "the exploitation of migrant workers",
        "unfair trials in military courts",
        "the harassment of trade unionists",
        "the lack of access to lawyers",
        "incommunicado detention of critics",
        "land grabs affecting indigenous communities",
        "the use of facial recognition at protests",
        "reprisals against people who cooperate with the UN",
        "the failure to investigate police killings",
        "discriminatory citizenship laws",
        "the suspension of a broadcaster's licence",
        "barriers to education for refugee children",
    ],
    "places": [
        "Bogotá",
        "São Paulo",
        "Genève",
        "Zürich",
        "Montréal",
        "Córdoba",
        "Asunción",
        "Medellín",
        "Yaoundé",
        "Bamako",
        "Nairobi",
        "Kampala",
        "Addis Ababa",
        "Dakar",
        "Lagos",
        "Johannesburg",
        "Cairo",
        "Tunis",
        "Beirut",
        "Amman",
        "Baghdad",
        "Istanbul",
        "Tbilisi",
        "Yerevan",
        "Almaty",
        "Kabul",
        "Islamabad",
        "Dhaka",
        "Kathmandu",
        "Colombo",
        "Jakarta",
        "Manila",
        "Bangkok",
        "Phnom Penh",
        "Mexico City",
        "Guatemala City",
        "Lima",
        "Santiago",
        "Caracas",
        "Port-au-Prince",
        "Brussels",
        "Strasbourg",
        "Athens",
        "Warsaw",
        "Kraków",
        "Reykjavík",
        "Malmö",
        "Düsseldorf",
        "Brazil",
        "Colombia",
        "Mexico",
        "Kenya",
        "Nigeria",
        "Lebanon",
        "Türkiye",
        "Côte d'Ivoire",
        "Peru",
        "Bangladesh",
        "Indonesia",
        "Guatemala",
    ],
    "sentences": [
        "The authorities did not respond to a request for comment before publication.",
        "HLHR was able to verify the footage by comparing landmarks with satellite imagery.",
        "Relatives said they had not been informed of the charges or of where he was being held.",
        "The names of some witnesses have been withheld at their request for their safety.",
        "A lawyer for the families said they intend to appeal the decision to a higher court.",
        "International law requires that anyone deprived of liberty be brought promptly before "
        "a judge.",
        "The ministry said in a written statement that all detainees are treated in accordance "
        "with the law.",
        "Witnesses described security forces firing tear gas into a crowd that included "
        "children and older people.",
        "The organisation has submitted its findings to the relevant UN special procedures.",
        "Several of those interviewed said they feared reprisals if they spoke publicly.",
        "The draft law has been criticised by lawyers, journalists and civil society groups.",
        "Under the Convention against Torture, statements obtained through torture may not be "
        "used as evidence.",
        "Humanitarian organisations say access to the area has been restricted for several weeks.",
        "The court is expected to deliver its verdict at a hearing scheduled for next month.",
        "Local groups estimate that hundreds of families have been affected by the evictions.",
        "HLHR reviewed court documents, medical records and official statements in preparing "
        "this report.",
        "The UN Human Rights Council is due to discuss the situation at its next session.",
        "Independent monitors have not been allowed to visit the facility since it opened.",
        "Lawyers say the charges are vaguely worded and could apply to almost any criticism of "
        "officials.",
        "The government has said the measures are temporary and necessary to protect public order.",
        "Students and teachers gathered outside the university to call for the release of "
        "their classmates.",
        "Under international law, the use of force by police must be necessary and proportionate.",
        "The commission's final report recommended an independent investigation and full "
        "reparations for the victims.",
        "Several journalists said they had been followed or photographed after covering the "
        "protests.",
        "Access to the internet was disrupted in the region for three days, according to "
        "network data.",
        "The detainees were reportedly held in a facility that is not listed as an official "
        "place of detention.",
        "A spokesperson for the police said the officers involved had been suspended pending an "
        "inquiry.",
        "Families continue to gather every week to ask for information about their missing "
        "relatives.",
        "HLHR opposes the death penalty in all cases, regardless of the nature of the crime.",
        "Women's rights groups say the proposed amendment would make it harder for survivors to "
        "seek justice.",
        "The UN refugee agency has called for safe and legal routes for people seeking protection.",
        "Parliament is expected to vote on the bill before the end of the current session.",
        "Doctors at the hospital said they had treated dozens of people for injuries consistent "
        "with beatings.",
        "The company said it takes allegations of abuse in its supply chain seriously and would "
        "investigate.",
        "Human rights defenders in the region have faced travel bans, asset freezes and "
        "prosecution.",
        "The case has drawn attention to the lack of legal protection for domestic workers.",
        "Observers from several embassies attended the hearing, which was closed to the public.",
        "The ruling marks the first time a court in the country has recognised this right "
        "explicitly.",
        "Community members said they had not been consulted before the project was approved.",
        "HLHR will continue to follow the case and will publish updates as they become available.",
        "The report is based on more than 80 interviews conducted in person and by secure "
        "video call.",
        "Lawyers were allowed to meet their clients only briefly and in the presence of guards.",
        "International standards say that children should be detained only as a last resort.",
        "Local journalists said they now avoid covering certain topics for fear of being "
        "prosecuted.",
        "The government has accepted several recommendations made during its Universal "
        "Periodic Review.",
        "The UN Working Group on Arbitrary Detention found that his detention lacked any legal "
        "basis.",
        "Residents said the demolitions began early in the morning, before they could remove "
        "their belongings.",
        "Activists said the new registration rules would force many small organisations to close.",
        "Satellite images analysed by HLHR show damage to at least three schools and a clinic.",
        "The prosecutor's office said the investigation was ongoing and declined to give "
        "further details.",
        "Several of the released detainees said they had been held in crowded cells without "
        "daylight.",
        "A coalition of organisations has called for an independent international "
        "investigation into the killings.",
        "Officials said the surveillance system is used only to investigate serious crimes.",
        "Rights groups welcomed the decision but said it must be followed by concrete action.",
        "The detainee's family said his health had deteriorated significantly since his arrest.",
        "The bill would allow authorities to block websites without prior approval from a court.",
        "More than a thousand people signed a petition calling for the charges to be dropped.",
        "The Convention on the Rights of the Child requires states to act in the best interests "
        "of the child.",
        "Migrants interviewed by HLHR said they had been denied food and water for long periods.",
        "The electoral commission said it would investigate reports of voters being turned away.",
        "Survivors described the attack in consistent detail during separate interviews with "
        "our researchers.",
        "The authorities have denied the allegations and said the operation targeted armed "
        "groups only.",
        "Trade unions said the strike was peaceful and that their members had broken no laws.",
        "Experts warn that climate-related displacement is likely to increase in the coming "
        "decade.",
    ],
    "tags": [
        "detention",
        "freedom of expression",
        "migrants",
        "surveillance",
        "women's rights",
        "United Nations",
        "torture",
        "press freedom",
        "children",
        "refugees",
        "death penalty",
        "digital rights",
        "fair trial",
        "freedom of assembly",
        "human rights defenders",
        "housing",
        "forced evictions",
        "asylum",
        "enforced disappearance",
        "accountability",
        "conflict",
        "civilians",
        "international law",
        "education",
        "police",
        "elections",
        "labour rights",
        "climate",
        "displacement",
        "juvenile justice",
        "prison conditions",
        "civic space",
        "legislation",
        "drug policy",
        "transparency",
        "disability rights",
        "indigenous peoples",
        "LGBTI rights",
        "health",
        "business and human rights",
    ],
}
