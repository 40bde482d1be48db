/* lsu-gen: deterministic generator of realistic école (1d) LSU exports.
 *
 * Owns everything needed to write, on its own, an import file of any size
 * that the official école schema (1.0b) accepts:
 *   - banks of French names (diacritics, apostrophes, hyphens), communes,
 *     streets, éléments du programme and appreciation phrases;
 *   - a PRNG of its own (xorshift64*, seeded through splitmix64) so that the
 *     same arguments give the same bytes on every machine: no rand(), no
 *     clock, no locale;
 *   - the school calendar (rentrée, trimestres or semestres);
 *   - a streaming XML writer: output goes out as it is made, memory grows
 *     with the number of pupils only (a few dozen bytes each).
 * With --faults RATE it plants, in that fraction of the bilans périodiques,
 * one realistic problem that the schema accepts but an lsu rule reports
 * (REG001, REG007, REG008, REG009, REG010, REG011, REG012 or REG016).  Each
 * is announced by an XML comment "lsu-gen: anomalie REGxxx" just before the
 * bilan, so that tests can count what lsu should find.
 *
 * Plain C11 and libc only.  Build:
 *   cc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -o lsu-gen tools/lsu-gen.c
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXIT_USAGE 64
#define EXIT_SOFTWARE 70
#define MAX_CLASSES 2000L
#define MAX_PUPILS 100L

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* Random numbers                                                      */
/* ------------------------------------------------------------------ */

typedef struct {
    uint64_t s;
} rng;

/* splitmix64 finaliser: a good 64-bit mixing function. */
static uint64_t mix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

/* Seeds a stream from the user's seed, a purpose tag and two indices, so
 * that each pupil, bilan or class draws from its own stream: changing one
 * option (say --faults) leaves every other drawn value unchanged. */
static void rng_init(rng *r, uint64_t seed, uint64_t tag, uint64_t a, uint64_t b)
{
    uint64_t x = mix64(seed);
    x = mix64(x ^ (tag * 0xD1B54A32D192ED03ULL));
    x = mix64(x ^ (a * 0x8CB92BA72F3D8DD7ULL));
    x = mix64(x ^ (b + 0x632BE59BD9B4E019ULL));
    r->s = x ? x : 0x9E3779B97F4A7C15ULL;
}

/* xorshift64*: next 64 random bits. */
static uint64_t rng_next(rng *r)
{
    uint64_t x = r->s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* A number in [0, n), n > 0 (multiply-shift, no modulo bias worth noting). */
static unsigned rng_below(rng *r, unsigned n)
{
    return (unsigned)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* True with probability percent/100. */
static int rng_chance(rng *r, unsigned percent)
{
    return rng_below(r, 100) < percent;
}

/* A double in [0, 1) built from 53 random bits (exact on IEEE machines). */
static double rng_unit(rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Stream tags for rng_init. */
enum { TAG_SCHOOL = 1, TAG_CLASS, TAG_PUPIL, TAG_FAMILY, TAG_BILAN, TAG_FAULT, TAG_PARCOURS, TAG_CYCLE };

/* Number of bits set (portable popcount). */
static unsigned bits_set(uint64_t x)
{
    unsigned n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

/* A keyed permutation of [0, n), n <= 2^bits: rounds of bijections on
 * `bits`-bit words (xor with the key, multiply by an odd number, xorshift),
 * repeated while the result falls outside [0, n) ("cycle walking").  It
 * turns indices into unique but irregular-looking INE, id-be and names. */
static uint64_t permute(uint64_t x, unsigned bits, uint64_t n, uint64_t key)
{
    const uint64_t mask = bits >= 64 ? ~0ULL : (1ULL << bits) - 1;
    do {
        for (unsigned round = 0; round < 4; round++) {
            x = (x ^ (key >> (round * 13))) & mask;
            x = (x * (0x9E3779B97F4A7C15ULL | 1)) & mask;
            x ^= x >> (bits / 2 + 1);
            x = (x * 0xBF58476D1CE4E5B9ULL) & mask;
            x ^= x >> (bits / 3 + 1);
        }
    } while (x >= n);
    return x;
}

/* Smallest number of bits that holds values below n. */
static unsigned bits_for(uint64_t n)
{
    unsigned b = 1;
    while (b < 64 && (1ULL << b) < n)
        b++;
    return b;
}

/* ------------------------------------------------------------------ */
/* Calendar (proleptic Gregorian, days since 1970-01-01)               */
/* ------------------------------------------------------------------ */

/* Day number of a civil date (H. Hinnant's algorithm). */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Civil date of a day number. */
static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Day of the week, 0 = Sunday. */
static int weekday(long z)
{
    long w = (z + 4) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

/* First day on or after `z` that falls on weekday `wd`. */
static long next_weekday(long z, int wd)
{
    return z + (wd - weekday(z) + 7) % 7;
}

/* Formats a day number as YYYY-MM-DD into out (at least 11 bytes). */
static void format_date(long z, char *out, size_t size)
{
    int y, m, d;
    civil_from_days(z, &y, &m, &d);
    snprintf(out, size, "%04d-%02d-%02d", y, m, d);
}

/* ------------------------------------------------------------------ */
/* Banks                                                               */
/* ------------------------------------------------------------------ */

typedef struct {
    const char *name;
    char female;
} first_name;

static const first_name CHILD_FIRST[] = {
    {"Éloïse", 1},   {"Zoë", 1},           {"Anaïs", 1},     {"Chloé", 1},     {"François", 0},   {"Łukasz", 0},
    {"Şule", 1},     {"Noé", 0},           {"Maëlys", 1},    {"Inès", 1},      {"Théo", 0},       {"Raphaël", 0},
    {"Léa", 1},      {"Adèle", 1},         {"Aïcha", 1},     {"Yanis", 0},     {"Nour", 1},       {"Ibrahim", 0},
    {"Jade", 1},     {"Louise", 1},        {"Gabriel", 0},   {"Léo", 0},       {"Timothée", 0},   {"Bérénice", 1},
    {"Côme", 0},     {"Maïwenn", 1},       {"Loïc", 0},      {"Solène", 1},    {"Mathéo", 0},     {"Héloïse", 1},
    {"Clémence", 1}, {"Jean-Baptiste", 0}, {"Lou-Anne", 1},  {"Mamadou", 0},   {"Aylin", 1},      {"Hugo", 0},
    {"Emma", 1},     {"Lina", 1},          {"Sacha", 0},     {"Nathan", 0},    {"Ambre", 1},      {"Rose", 1},
    {"Élias", 0},    {"Gaël", 0},          {"Enzo", 0},      {"Noah", 0},      {"Mila", 1},       {"Jules", 0},
    {"Anaëlle", 1},  {"Thaïs", 1},         {"Joséphine", 1}, {"Mehdi", 0},     {"Ismaël", 0},     {"Siméon", 0},
    {"Ophélie", 1},  {"Naïm", 0},          {"Océane", 1},    {"Minh-Châu", 1}, {"Søren", 0},      {"Björn", 0},
    {"Maël", 0},     {"Zélie", 1},         {"Capucine", 1},  {"Amadou", 0},    {"Marie-Ange", 1}, {"Kenzo", 0},
};

static const first_name ADULT_FIRST[] = {
    {"Sylvie", 1},       {"Nathalie", 1},   {"Frédéric", 0},    {"Stéphane", 0},  {"Véronique", 1},
    {"Hélène", 1},       {"Céline", 1},     {"Sébastien", 0},   {"Jérôme", 0},    {"Aurélie", 1},
    {"Émilie", 1},       {"Grégory", 0},    {"Karine", 1},      {"Sandrine", 1},  {"Isabelle", 1},
    {"Valérie", 1},      {"Christophe", 0}, {"Thierry", 0},     {"Laurent", 0},   {"Nicolas", 0},
    {"Élodie", 1},       {"Delphine", 1},   {"Cécile", 1},      {"Mélanie", 1},   {"Jean-François", 0},
    {"Marie-Hélène", 1}, {"Anne-Laure", 1}, {"Pierre-Yves", 0}, {"Gaëlle", 1},    {"Joël", 0},
    {"Benoît", 0},       {"Hervé", 0},      {"Rachida", 1},     {"Fatoumata", 1}, {"Mohamed", 0},
    {"Karim", 0},        {"Agnieszka", 1},  {"Tomasz", 0},      {"Nguyệt", 1},    {"Ayşe", 1},
    {"Mehmet", 0},       {"Joaquim", 0},    {"Conceição", 1},   {"Françoise", 1}, {"Brigitte", 1},
    {"Yannick", 0},      {"Gwenaëlle", 1},  {"Régine", 1},      {"Angélique", 1}, {"Josiane", 1},
    {"Patrice", 0},      {"Rémi", 0},       {"Mickaël", 0},     {"Raphaëlle", 1}, {"Ségolène", 1},
    {"Damien", 0},       {"Olivier", 0},    {"Fabienne", 1},    {"Jérémie", 0},   {"Anne-Sophie", 1},
};

static const char *const SURNAMES[] = {
    "Martin",    "Bernard",        "Dubois",   "Thomas",     "Robert",       "Richard",   "Petit",     "Durand",
    "Leroy",     "Moreau",         "Simon",    "Laurent",    "Lefèvre",      "Michel",    "Garcia",    "David",
    "Bertrand",  "Roux",           "Vincent",  "Fournier",   "Morel",        "Girard",    "André",     "Mercier",
    "Dupont",    "Lambert",        "Bonnet",   "François",   "Martinez",     "Legrand",   "Garnier",   "Faure",
    "Rousseau",  "Blanc",          "Guérin",   "Muller",     "Henry",        "Roussel",   "Perrin",    "Morin",
    "Mathieu",   "Clément",        "Gauthier", "Dumont",     "Lopez",        "Fontaine",  "Chevalier", "Robin",
    "N'Diaye",   "Le Goff-Hénaff", "Nguyễn",   "D'Almeida",  "Da Silva",     "Nowak",     "Yılmaz",    "Öztürk",
    "Lemaître",  "Châtelain",      "Benoît",   "Ménard",     "Le Bihan",     "Kerjean",   "Brémond",   "Lacroix",
    "Dupré",     "Béranger",       "Vallée",   "O'Neill",    "Saint-Martin", "Cissé",     "Traoré",    "Diallo",
    "Coulibaly", "Benali",         "Haddad",   "Kowalski",   "Ferreira",     "Gonçalves", "Araújo",    "Schmitt",
    "Jourdain",  "Pham",           "Trần",     "Lê",         "Sánchez",      "Le Floc'h", "Abgrall",   "L'Hôte",
    "Marchand",  "Barbier",        "Aubert",   "Carpentier", "Leclerc",      "Picard",    "Colin",     "Arnaud",
    "Rolland",   "Giraud",         "Rivière",  "Lucas",      "Brunet",       "Noël",      "Meunier",   "Jacquet",
    "Hénaff",
};

typedef struct {
    const char *cp, *commune;
} commune;

static const commune COMMUNES[] = {
    {"69007", "Lyon"},
    {"38000", "Grenoble"},
    {"29200", "Brest"},
    {"35000", "Rennes"},
    {"44000", "Nantes"},
    {"13001", "Marseille"},
    {"31000", "Toulouse"},
    {"67000", "Strasbourg"},
    {"59000", "Lille"},
    {"33000", "Bordeaux"},
    {"63000", "Clermont-Ferrand"},
    {"21000", "Dijon"},
    {"74000", "Annecy"},
    {"64100", "Bayonne"},
    {"29000", "Quimper"},
    {"97400", "Saint-Denis"},
    {"56000", "Vannes"},
    {"42000", "Saint-Étienne"},
    {"87000", "Limoges"},
    {"25000", "Besançon"},
    {"76000", "Rouen"},
    {"14000", "Caen"},
    {"34000", "Montpellier"},
    {"06000", "Nice"},
    {"54000", "Nancy"},
    {"86000", "Poitiers"},
    {"38130", "Échirolles"},
    {"69100", "Villeurbanne"},
    {"92130", "Issy-les-Moulineaux"},
    {"29470", "Plougastel-Daoulas"},
    {"74160", "Saint-Julien-en-Genevois"},
    {"13090", "Aix-en-Provence"},
    {"01210", "Ferney-Voltaire"},
    {"49000", "Angers"},
    {"37000", "Tours"},
    {"73000", "Chambéry"},
};

static const char *const STREETS[] = {
    "rue Victor-Hugo",
    "avenue Jean-Jaurès",
    "allée des Châtaigniers",
    "impasse des Mésanges",
    "chemin de la Côte",
    "place de l'Église",
    "rue de la République",
    "boulevard Gambetta",
    "rue Pasteur",
    "rue des Écoles",
    "rue du Général-de-Gaulle",
    "chemin des Vignes",
    "rue Émile-Zola",
    "rue de la Gare",
    "allée des Peupliers",
    "rue Jean-Moulin",
    "avenue des Frères-Lumière",
    "rue Lucie-Aubrac",
    "montée Saint-Barthélemy",
    "quai de la Fosse",
};

static const char *const ADDRESS_LINE2[] = {
    "Résidence Les Tilleuls, bât. C", "Résidence du Parc, escalier 2", "Le Clos des Érables",
    "Lotissement Les Hauts de Sèvre", "Chez M. et Mme Lefèvre",        "Cité Jardin, entrée B",
};

static const char *const LEVELS[5] = {"CP", "CE1", "CE2", "CM1", "CM2"};
static const char *const NEXT_LEVEL[5] = {"CE1", "CE2", "CM1", "CM2", "sixième"};

/* One teaching unit: a domain without sub-domains, or one sub-domain, with
 * the four éléments du programme it may list over the year (period k of n
 * lists those whose index j has j % n == k, so every one is used). */
typedef struct {
    const char *domain; /* acquis/@code-domaine */
    const char *sub;    /* sous-domaine/@code-domaine, NULL when none */
    const char *labels[4];
} unit;

static const unit UNITS_C2[] = {
    {"FRA-RAC",
     "FRA-LGO",
     {"Écouter pour comprendre des messages oraux ou des textes lus par un adulte", "Dire pour être entendu et compris",
      "Participer à des échanges dans des situations diversifiées",
      "Raconter une histoire connue en respectant la chronologie"}},
    {"FRA-RAC",
     "FRA-LEC",
     {"Identifier des mots de manière de plus en plus aisée", "Comprendre un texte lu seul et en rendre compte",
      "Lire à voix haute avec fluidité", "Contrôler sa compréhension et justifier une interprétation"}},
    {"FRA-RAC",
     "FRA-ECR",
     {"Copier de manière experte un texte court", "Produire des écrits en commençant à s'approprier une démarche",
      "Réviser et améliorer l'écrit produit", "Écrire sous la dictée des syllabes, des mots et des phrases"}},
    {"FRA-RAC",
     "FRA-ETL",
     {"Maîtriser les relations entre l'oral et l'écrit", "Identifier les principaux constituants d'une phrase simple",
      "Raisonner pour résoudre des problèmes orthographiques d'accord", "Mémoriser et utiliser le vocabulaire étudié"}},
    {"MAT-RAC",
     "MAT-NBC",
     {"Dénombrer, constituer et comparer des collections",
      "Connaître les nombres entiers jusqu'à 1 000 : lire, écrire, comparer",
      "Calculer mentalement : tables d'addition et de multiplication",
      "Résoudre des problèmes additifs et multiplicatifs"}},
    {"MAT-RAC",
     "MAT-GDM",
     {"Comparer et mesurer des longueurs avec une règle graduée", "Lire l'heure sur une horloge à aiguilles",
      "Utiliser la monnaie : euros et centimes", "Comparer et mesurer des masses et des contenances"}},
    {"MAT-RAC",
     "MAT-GEO",
     {"Se repérer et se déplacer dans l'espace en utilisant des repères",
      "Reconnaître, nommer et décrire des solides usuels", "Reproduire des figures sur quadrillage",
      "Reconnaître et tracer des figures planes : carré, rectangle, triangle, cercle"}},
    {"EPS-RAC",
     NULL,
     {"Courir, sauter, lancer : produire une performance maximale",
      "Adapter ses déplacements à des environnements variés : natation",
      "S'exprimer devant les autres par une prestation artistique : danse",
      "Conduire et maîtriser un affrontement collectif : jeux de ballon"}},
    {"ART-RAC",
     "ART-PLA",
     {"Expérimenter, produire, créer : les couleurs primaires et secondaires",
      "Mettre en œuvre un projet artistique : réalisation d'une fresque collective",
      "S'exprimer, analyser sa production, celle de ses pairs",
      "Se repérer dans les domaines liés aux arts plastiques : l'art du collage"}},
    {"ART-RAC",
     "ART-MUS",
     {"Chanter une mélodie simple avec une intonation juste", "Écouter, comparer des éléments sonores et des musiques",
      "Explorer et imaginer : jouer avec sa voix et son corps",
      "Échanger, partager ses émotions et ses préférences musicales"}},
    {"QLM-RAC",
     "QLM-VMO",
     {"Identifier les trois états de la matière : l'eau",
      "Connaître des caractéristiques du monde vivant : le cycle de vie",
      "Reconnaître des comportements favorables à sa santé",
      "Réaliser des objets techniques : circuits électriques simples"}},
    {"QLM-RAC",
     "QLM-ETP",
     {"Se repérer dans le temps : jours, semaines, mois, saisons",
      "Repérer et situer quelques événements dans un temps long : la frise",
      "Se situer dans l'espace : lire un plan du quartier", "Comparer des modes de vie à différentes époques"}},
    {"EMC-RAC",
     NULL,
     {"Respecter autrui et les règles de la vie collective", "Exprimer ses émotions et ses sentiments",
      "Participer à un débat réglé et argumenter", "Identifier les symboles de la République"}},
    {"LGV-RAC",
     NULL,
     {"Comprendre des consignes de classe en anglais", "Se présenter et présenter quelqu'un en anglais",
      "Reproduire un modèle oral : comptines et chants", "Connaître quelques traits culturels des pays anglophones"}},
};

static const unit UNITS_C3[] = {
    {"FRA-RAC",
     "FRA-LGO",
     {"Écouter pour comprendre un message oral, un propos, un discours",
      "Parler en prenant en compte son auditoire : exposé",
      "Participer à des échanges dans des situations diversifiées : débat",
      "Dire de mémoire un texte littéraire en l'interprétant"}},
    {"FRA-RAC",
     "FRA-LEC",
     {"Lire avec fluidité un texte de plusieurs pages", "Comprendre un texte littéraire et l'interpréter",
      "Comprendre des textes, des documents et des images",
      "Contrôler sa compréhension et adopter un comportement de lecteur autonome"}},
    {"FRA-RAC",
     "FRA-ECR",
     {"Écrire à la main de manière fluide et efficace",
      "Produire des écrits variés en s'appropriant les différentes dimensions de l'activité d'écriture",
      "Réécrire à partir de nouvelles consignes ou faire évoluer son texte",
      "Prendre en compte les normes de l'écrit pour formuler, transcrire et réviser"}},
    {"FRA-RAC",
     "FRA-ETL",
     {"Maîtriser les accords dans le groupe nominal et entre le verbe et son sujet",
      "Identifier les classes de mots et les fonctions dans la phrase",
      "Conjuguer les verbes au présent, à l'imparfait, au futur et au passé composé",
      "Enrichir le lexique : familles de mots, synonymes, antonymes"}},
    {"MAT-RAC",
     "MAT-NBC",
     {"Utiliser et représenter les grands nombres entiers", "Utiliser les fractions simples et les nombres décimaux",
      "Calculer avec des nombres entiers et des nombres décimaux : techniques opératoires",
      "Résoudre des problèmes à plusieurs étapes mobilisant les quatre opérations"}},
    {"MAT-RAC",
     "MAT-GDM",
     {"Comparer, estimer, mesurer des longueurs, des masses et des durées", "Calculer des périmètres et des aires",
      "Convertir des unités de mesure", "Résoudre des problèmes de proportionnalité"}},
    {"MAT-RAC",
     "MAT-GEO",
     {"Se repérer et se déplacer dans l'espace : programmes de déplacement",
      "Reconnaître, nommer, décrire, reproduire et construire des figures géométriques",
      "Utiliser les instruments : règle, équerre, compas", "Reconnaître et construire des figures symétriques"}},
    {"EPS-RAC",
     NULL,
     {"Réaliser des performances mesurées en athlétisme", "Savoir nager : le savoir-nager en sécurité",
      "Conduire et maîtriser un affrontement collectif ou interindividuel",
      "Adapter ses déplacements à des environnements variés : course d'orientation"}},
    {"ART-RAC",
     "ART-PLA",
     {"La représentation plastique et les dispositifs de présentation",
      "Les fabrications et la relation entre l'objet et l'espace",
      "La matérialité de la production plastique et la sensibilité aux constituants de l'œuvre",
      "Expérimenter, produire, créer : le travail en volume"}},
    {"ART-RAC",
     "ART-MUS",
     {"Chanter et interpréter un chant choral à plusieurs voix", "Écouter, comparer et commenter des œuvres musicales",
      "Explorer, imaginer et créer : percussions corporelles", "Identifier des instruments de l'orchestre"}},
    {"ART-RAC",
     "ART-HAR",
     {"Identifier : donner un avis argumenté sur ce que représente une œuvre d'art",
      "Analyser : dégager d'une œuvre d'art ses principales caractéristiques",
      "Situer : relier des caractéristiques d'une œuvre à une période historique",
      "Se repérer dans un musée, un lieu d'art ou un site patrimonial"}},
    {"STC-RAC",
     NULL,
     {"Matière, mouvement, énergie, information : les états de la matière et les mélanges",
      "Le vivant, sa diversité et les fonctions qui le caractérisent",
      "Matériaux et objets techniques : concevoir et fabriquer un objet",
      "La planète Terre et les êtres vivants dans leur environnement"}},
    {"HIG-RAC",
     NULL,
     {"Et avant la France ? Celtes, Gaulois, Grecs et Romains", "Le temps des rois : de Louis IX à Louis XIV",
      "Découvrir le(s) lieu(x) où j'habite", "Se déplacer : au quotidien en France et dans le monde"}},
    {"EMC-RAC",
     NULL,
     {"Respecter autrui : le respect des différences et l'égalité filles-garçons",
      "Acquérir et partager les valeurs de la République", "Construire une culture civique : le rôle des institutions",
      "Développer le jugement critique : l'éducation aux médias"}},
    {"LGV-RAC",
     NULL,
     {"Comprendre l'oral : écouter et comprendre des messages en anglais",
      "Lire et comprendre des textes courts en anglais", "Parler en continu : décrire sa famille et son environnement",
      "Réagir et dialoguer : échanger sur des sujets familiers"}},
};

/* A list of sentence templates.  Tokens: {P} first name, {Il}/{il}
 * Il/Elle, {e} feminine e, {if} if/ive, {eux} eux/euse, {lui} lui/elle,
 * {un} un/une, {periode} trimestre/semestre, {next} next level. */
typedef struct {
    const char *const *s;
    unsigned n;
} bank;

#define BANK(a)                                                                                                        \
    {                                                                                                                  \
        a, (unsigned)COUNT(a)                                                                                          \
    }

static const char *const FRA2_0[] = {
    "{P} rencontre encore des difficultés pour déchiffrer les mots nouveaux : la lecture reste lente et hésitante.",
    "La compréhension des textes lus seul{e} est fragile ; {il} a besoin de l'aide de l'adulte pour repérer les "
    "informations importantes.",
    "En écriture, {P} copie encore lentement et oublie des mots ; la segmentation des mots n'est pas toujours "
    "respectée.",
    "{P} participe peu aux échanges oraux et a besoin d'être sollicité{e} pour prendre la parole.",
    "Les sons complexes (on, ain, oi) ne sont pas encore maîtrisés et gênent la lecture.",
    "Les règles d'accord dans le groupe nominal doivent encore être travaillées.",
};
static const char *const FRA2_1[] = {
    "{P} lit correctement des textes adaptés à son âge et en comprend l'essentiel.",
    "La lecture à voix haute devient plus fluide ; il faut maintenant veiller à l'intonation.",
    "{P} produit des phrases simples et correctes ; l'orthographe des mots usuels est en progrès.",
    "À l'oral, {P} s'exprime clairement et participe volontiers aux échanges de la classe.",
    "Les notions d'étude de la langue sont comprises mais pas toujours réinvesties dans les écrits.",
    "{P} comprend bien les histoires lues par l'adulte et sait les raconter avec ses mots.",
};
static const char *const FRA2_2[] = {
    "{P} lit avec aisance et expressivité ; {il} comprend finement les textes lus et sait justifier ses réponses.",
    "Les productions écrites sont riches, bien organisées et soignées.",
    "{P} maîtrise très bien les règles d'orthographe étudiées et les applique dans ses écrits.",
    "À l'oral, {P} s'exprime avec précision et un vocabulaire varié.",
    "{P} lit beaucoup et partage volontiers ses lectures avec la classe.",
};
static const char *const FRA3_0[] = {
    "{P} lit encore avec difficulté les textes longs et a du mal à en dégager l'essentiel.",
    "Les écrits sont courts et peu structurés ; l'orthographe grammaticale reste très fragile.",
    "La conjugaison des verbes aux temps étudiés n'est pas encore mémorisée.",
    "{P} doit apprendre à relire ses productions pour corriger ses erreurs.",
    "À l'oral, {P} hésite à prendre la parole devant le groupe.",
};
static const char *const FRA3_1[] = {
    "{P} comprend les textes étudiés et répond correctement aux questions de compréhension.",
    "Les rédactions sont cohérentes ; il faut encore enrichir le vocabulaire et soigner la ponctuation.",
    "Les accords dans le groupe nominal sont acquis ; l'accord sujet-verbe demande encore de la vigilance.",
    "{P} présente ses exposés de façon claire et organisée.",
    "La conjugaison est en progrès, en particulier au passé composé et à l'imparfait.",
};
static const char *const FRA3_2[] = {
    "{P} lit avec plaisir des œuvres variées et en parle avec finesse.",
    "Les productions écrites sont riches, inventives et d'une orthographe très sûre.",
    "L'étude de la langue est parfaitement maîtrisée : {P} analyse les phrases avec rigueur.",
    "Très bonne expression orale : {P} argumente et sait tenir compte du point de vue des autres.",
};
static const char *const MAT2_0[] = {
    "{P} dénombre encore difficilement les collections au-delà de vingt.",
    "Les tables d'addition ne sont pas encore mémorisées, ce qui ralentit le calcul.",
    "La résolution de problèmes reste difficile : {P} a besoin de manipuler pour comprendre.",
    "Le repérage dans l'espace et sur quadrillage demande encore de l'entraînement.",
    "Les mesures de longueurs à la règle sont encore imprécises.",
};
static const char *const MAT2_1[] = {
    "{P} connaît les nombres étudiés et calcule correctement.",
    "Les techniques opératoires de l'addition et de la soustraction sont en place.",
    "{P} résout les problèmes simples ; il faut encore prendre le temps de bien lire l'énoncé.",
    "Les tracés à la règle sont soignés ; le vocabulaire géométrique est connu.",
    "Le calcul mental progresse régulièrement grâce à un entraînement quotidien.",
};
static const char *const MAT2_2[] = {
    "{P} est très à l'aise avec les nombres et calcule mentalement avec rapidité.",
    "Excellente résolution de problèmes : {P} explique clairement sa démarche.",
    "Les notions de géométrie et de mesure sont parfaitement maîtrisées.",
    "{P} aime chercher et propose souvent plusieurs stratégies.",
};
static const char *const MAT3_0[] = {
    "Les fractions et les nombres décimaux posent encore problème à {P}.",
    "Les tables de multiplication doivent être revues régulièrement.",
    "La division posée n'est pas encore maîtrisée.",
    "En résolution de problèmes, {P} peine à choisir la bonne opération.",
    "Les constructions géométriques manquent de précision.",
};
static const char *const MAT3_1[] = {
    "Les nombres entiers et décimaux sont bien compris ; les fractions demandent encore de l'entraînement.",
    "{P} maîtrise les quatre opérations ; le calcul mental doit être entretenu.",
    "Les problèmes à une étape sont bien résolus ; ceux à plusieurs étapes sont plus difficiles.",
    "Les conversions d'unités de mesure sont généralement justes.",
    "Les figures sont construites avec soin à l'aide des instruments.",
};
static const char *const MAT3_2[] = {
    "{P} a d'excellentes compétences en calcul et raisonne avec rigueur.",
    "Les problèmes complexes sont résolus avec méthode et la démarche est bien rédigée.",
    "Les fractions et les décimaux sont parfaitement maîtrisés.",
    "Très bon travail en géométrie : les constructions sont précises et justifiées.",
};
static const char *const EPS_0[] = {
    "{P} manque encore d'assurance dans les activités athlétiques mais fait des efforts.",
    "En natation, {P} doit encore gagner en autonomie dans l'eau.",
    "Les règles des jeux collectifs ne sont pas toujours respectées.",
    "{P} a besoin d'encouragements pour s'engager pleinement dans l'effort.",
};
static const char *const EPS_1[] = {
    "{P} s'investit dans les activités physiques et respecte les règles.",
    "Bonne participation aux jeux collectifs ; {P} coopère avec ses partenaires.",
    "Les progrès en course longue sont réels : {P} gère mieux son effort.",
    "En danse, {P} mémorise les enchaînements et les présente au groupe.",
};
static const char *const EPS_2[] = {
    "{P} est très à l'aise dans toutes les activités et fait preuve d'un excellent esprit d'équipe.",
    "Excellentes performances en athlétisme ; {P} sait aussi aider ses camarades.",
    "En orientation, {P} se repère parfaitement et guide son équipe.",
    "{P} s'engage avec énergie et fair-play dans les rencontres sportives.",
};
static const char *const ART_0[] = {
    "{P} participe timidement aux activités artistiques.",
    "Les productions plastiques sont peu abouties ; il faut prendre le temps de terminer son travail.",
    "En chant, {P} a du mal à suivre le groupe et à mémoriser les paroles.",
};
static const char *const ART_1[] = {
    "{P} réalise des productions plastiques soignées et personnelles.",
    "Bonne participation à la chorale : {P} chante juste et avec plaisir.",
    "{P} écoute les œuvres avec attention et sait exprimer ce qu'{il} ressent.",
    "Les œuvres étudiées sont bien situées dans le temps.",
};
static const char *const ART_2[] = {
    "{P} fait preuve de beaucoup de créativité et d'un vrai sens artistique.",
    "Très belle implication dans le projet chorale : {P} chante avec justesse et assurance.",
    "{P} parle des œuvres avec un vocabulaire précis et des références variées.",
};
static const char *const QLM_0[] = {
    "{P} a du mal à se repérer dans le temps : les jours, les mois et les saisons sont encore confondus.",
    "Les observations scientifiques restent superficielles ; {P} doit apprendre à décrire précisément.",
    "Le vocabulaire des sciences n'est pas encore acquis.",
};
static const char *const QLM_1[] = {
    "{P} s'intéresse au monde du vivant et participe aux expériences de la classe.",
    "Les notions sur les états de l'eau sont comprises.",
    "{P} sait lire un calendrier et situer des événements sur une frise.",
    "Bon travail sur le cycle de vie des animaux et des végétaux.",
};
static const char *const QLM_2[] = {
    "{P} est très curi{eux} et pose des questions pertinentes lors des expériences.",
    "Excellente compréhension des notions étudiées sur le vivant et la matière.",
    "{P} se repère très bien sur un plan et dans le temps.",
};
static const char *const STC_0[] = {
    "{P} participe aux expériences mais a du mal à formuler des hypothèses.",
    "Les leçons de sciences doivent être apprises plus régulièrement.",
    "La démarche d'investigation n'est pas encore comprise.",
};
static const char *const STC_1[] = {
    "{P} mène les expériences avec soin et rédige correctement ses comptes rendus.",
    "Les notions sur la matière et l'énergie sont comprises.",
    "Bon investissement dans les séances de programmation et de robotique.",
};
static const char *const STC_2[] = {
    "{P} fait preuve d'un excellent esprit scientifique : hypothèses pertinentes et conclusions rigoureuses.",
    "Très bonnes connaissances sur le vivant et le corps humain.",
    "{P} s'est distingué{e} lors du projet de construction d'un objet technique.",
};
static const char *const HIG_0[] = {
    "{P} a du mal à retenir les repères historiques étudiés.",
    "La lecture de cartes et de documents reste difficile.",
    "Les leçons d'histoire et de géographie doivent être apprises plus régulièrement.",
};
static const char *const HIG_1[] = {
    "{P} connaît les principaux repères chronologiques et sait les placer sur une frise.",
    "Bonne lecture de documents ; les réponses gagneraient à être plus développées.",
    "{P} situe correctement les grands ensembles géographiques étudiés.",
};
static const char *const HIG_2[] = {
    "{P} montre un vif intérêt pour l'histoire et maîtrise parfaitement les repères étudiés.",
    "Excellente analyse des documents et très bonne expression écrite en géographie.",
    "{P} fait des liens pertinents entre les périodes étudiées.",
};
static const char *const EMC_0[] = {
    "{P} doit apprendre à respecter la parole des autres lors des débats.",
    "Les règles de vie de la classe sont connues mais pas toujours appliquées.",
    "{P} a besoin d'aide pour gérer ses conflits avec ses camarades.",
};
static const char *const EMC_1[] = {
    "{P} participe aux débats en respectant les règles de prise de parole.",
    "{P} connaît les règles de vie collective et les respecte.",
    "Bonne implication dans les conseils d'élèves.",
};
static const char *const EMC_2[] = {
    "{P} argumente avec maturité et respecte les opinions des autres.",
    "{P} a été {un} délégué{e} très attent{if} aux autres.",
    "{P} fait preuve d'un grand sens des responsabilités.",
};
static const char *const LGV_0[] = {
    "{P} comprend quelques consignes simples en anglais mais hésite à s'exprimer.",
    "Le vocabulaire étudié en anglais n'est pas encore mémorisé.",
    "{P} doit oser davantage prendre la parole en anglais.",
};
static const char *const LGV_1[] = {
    "{P} comprend les consignes en anglais et participe aux jeux de rôle.",
    "Le vocabulaire des séquences étudiées est connu ; la prononciation est correcte.",
    "{P} sait se présenter et parler de ses goûts en anglais.",
};
static const char *const LGV_2[] = {
    "{P} s'exprime avec aisance en anglais et avec une très bonne prononciation.",
    "Excellente participation en anglais : {P} comprend des textes courts et des dialogues.",
    "{P} chante et récite avec plaisir les comptines et les poèmes appris en anglais.",
};

/* Phrases of one domain for the three tones (0 fragile, 1 satisfaisant,
 * 2 très bien); cycle 0 means both cycles. */
typedef struct {
    const char *domain;
    int cycle;
    bank tone[3];
} domain_phrases;

static const domain_phrases PHRASES[] = {
    {"FRA-RAC", 2, {BANK(FRA2_0), BANK(FRA2_1), BANK(FRA2_2)}},
    {"FRA-RAC", 3, {BANK(FRA3_0), BANK(FRA3_1), BANK(FRA3_2)}},
    {"MAT-RAC", 2, {BANK(MAT2_0), BANK(MAT2_1), BANK(MAT2_2)}},
    {"MAT-RAC", 3, {BANK(MAT3_0), BANK(MAT3_1), BANK(MAT3_2)}},
    {"EPS-RAC", 0, {BANK(EPS_0), BANK(EPS_1), BANK(EPS_2)}},
    {"ART-RAC", 0, {BANK(ART_0), BANK(ART_1), BANK(ART_2)}},
    {"QLM-RAC", 0, {BANK(QLM_0), BANK(QLM_1), BANK(QLM_2)}},
    {"STC-RAC", 0, {BANK(STC_0), BANK(STC_1), BANK(STC_2)}},
    {"HIG-RAC", 0, {BANK(HIG_0), BANK(HIG_1), BANK(HIG_2)}},
    {"EMC-RAC", 0, {BANK(EMC_0), BANK(EMC_1), BANK(EMC_2)}},
    {"LGV-RAC", 0, {BANK(LGV_0), BANK(LGV_1), BANK(LGV_2)}},
};

static const char *const ADVICE_0[] = {
    "Il faut poursuivre les efforts.",
    "Un entraînement régulier à la maison sera bénéfique.",
    "Les progrès sont lents mais réels : il ne faut pas se décourager.",
    "{P} doit demander de l'aide lorsqu'{il} ne comprend pas.",
};
static const char *const ADVICE_1[] = {
    "C'est un travail sérieux, à poursuivre.",
    "Des progrès encourageants.",
    "{P} peut encore progresser en gagnant en confiance.",
    "Il faut continuer ainsi.",
};
static const char *const ADVICE_2[] = {
    "Bravo !",
    "Excellent travail, continue ainsi !",
    "Très belles réussites.",
    "C'est un travail remarquable.",
};

static const char *const OPEN_FIRST_0[] = {
    "Ce premier {periode} a été difficile pour {P}.",
    "{P} a eu du mal à trouver ses repères en ce début d'année.",
};
static const char *const OPEN_FIRST_1[] = {
    "Bon début d'année pour {P}, qui s'est bien adapté{e} à sa nouvelle classe.",
    "{P} a fait une rentrée sérieuse et s'est bien intégré{e} au groupe.",
};
static const char *const OPEN_FIRST_2[] = {
    "Excellent début d'année : {P} s'est investi{e} avec enthousiasme dans tous les apprentissages.",
    "Très bon premier {periode} !",
};
static const char *const OPEN_MID_0[] = {
    "Ce {periode} reste difficile, malgré quelques progrès en fin de période.",
    "Les résultats de ce {periode} sont encore fragiles.",
};
static const char *const OPEN_MID_1[] = {
    "Ce deuxième {periode} confirme les progrès amorcés en début d'année.",
    "{P} poursuit ses efforts et progresse régulièrement.",
};
static const char *const OPEN_MID_2[] = {
    "{P} confirme ses excellents résultats.",
    "Très bon {periode}, dans la continuité du précédent.",
};
static const char *const OPEN_LAST_0[] = {
    "L'année a été exigeante pour {P}, mais des progrès ont été constatés.",
    "En cette fin d'année, les acquis restent fragiles dans plusieurs domaines.",
};
static const char *const OPEN_LAST_1[] = {
    "{P} termine l'année sur une note positive.",
    "Une année sérieuse et des progrès réguliers.",
};
static const char *const OPEN_LAST_2[] = {
    "{P} termine l'année avec d'excellents résultats.",
    "Une très belle année scolaire, bravo !",
};
static const char *const WORK_0[] = {
    "Le travail personnel est irrégulier et les leçons ne sont pas toujours apprises.",
    "{P} a besoin d'être accompagné{e} pour se mettre au travail et terminer ses exercices.",
    "Les cahiers sont peu soignés et le travail souvent inachevé.",
    "{P} se décourage vite face à la difficulté.",
    "Les fondamentaux en lecture et en calcul doivent encore être consolidés.",
};
static const char *const WORK_1[] = {
    "Le travail est sérieux et régulier.",
    "{P} est appliqué{e} et soigne la présentation de ses cahiers.",
    "Les leçons sont généralement bien apprises.",
    "{P} gagnerait à participer davantage à l'oral.",
    "Les acquis sont solides dans la plupart des domaines.",
};
static const char *const WORK_2[] = {
    "{P} travaille avec beaucoup de sérieux et d'autonomie.",
    "Les résultats sont excellents dans tous les domaines.",
    "{P} participe activement et enrichit les échanges de la classe.",
    "Le travail est toujours soigné et approfondi.",
    "{P} aide volontiers ses camarades en difficulté.",
};
static const char *const BEHAVE_0[] = {
    "{P} doit apprendre à rester concentré{e} tout au long de la journée.",
    "Le comportement en classe doit s'améliorer : {P} bavarde souvent.",
    "{P} a besoin d'être rassuré{e} et de prendre confiance en {lui}.",
};
static const char *const BEHAVE_1[] = {
    "{P} est agréable en classe et respecte les règles.",
    "{P} entretient de bonnes relations avec ses camarades.",
    "{P} est attent{if} en classe mais doit oser davantage prendre la parole.",
};
static const char *const BEHAVE_2[] = {
    "{P} est {un} élève agréable, curi{eux} et motivé{e}.",
    "Son comportement est exemplaire.",
    "{P} est très attent{if} et fait preuve d'une belle maturité.",
};
static const char *const COUNSEL_0[] = {
    "Il faudra poursuivre les efforts et s'entraîner régulièrement à la maison, notamment en lecture.",
    "Nous comptons sur un travail régulier pour consolider les bases.",
    "Une lecture quotidienne à la maison sera très bénéfique.",
};
static const char *const COUNSEL_1[] = {
    "Il faut continuer ainsi en restant concentré{e} jusqu'au bout des activités.",
    "Encore un peu plus de rigueur et les résultats seront excellents.",
    "{P} doit maintenant gagner en autonomie.",
};
static const char *const COUNSEL_2[] = {
    "Il faut continuer ainsi !",
    "Toutes nos félicitations pour ce travail.",
    "Continue à cultiver ta curiosité !",
};
static const char *const CLOSE_MID[] = {
    "Bon courage pour la suite de l'année.",
    "Bonnes vacances !",
};
static const char *const CLOSE_LAST[] = {
    "Bonnes vacances, et bon passage en {next} !",
    "Bon passage en {next} !",
};
static const char *const SYNTH_0[] = {
    "Au terme du cycle 2, {P} a acquis les bases de la lecture mais la compréhension de l'écrit reste fragile.",
    "Les apprentissages fondamentaux en mathématiques doivent être consolidés au cycle 3, en particulier le calcul.",
    "{P} a fait des progrès constants depuis le CP grâce à un accompagnement régulier.",
    "Un suivi attentif sera nécessaire en début de CM1.",
};
static const char *const SYNTH_1[] = {
    "{P} termine le cycle 2 avec des acquis satisfaisants dans la plupart des composantes du socle.",
    "La lecture est fluide et la compréhension correcte ; l'écriture doit encore gagner en autonomie.",
    "Les compétences en nombres et calcul sont en place.",
    "{P} est prêt{e} pour aborder le cycle 3 avec confiance.",
};
static const char *const SYNTH_2[] = {
    "{P} achève le cycle 2 avec une très bonne maîtrise de l'ensemble des composantes du socle.",
    "{P} lit avec aisance, écrit des textes riches et raisonne avec rigueur en mathématiques.",
    "Sa curiosité et son autonomie sont de réels atouts pour le cycle 3.",
    "Félicitations pour ce beau parcours au cycle 2 !",
};

static const char *const PARCOURS_CODES[3] = {"PAR_CIT", "PAR_ART", "PAR_SAN"};

static const char *const PROJECT_CIT[] = {
    "Élection des délégués de classe et participation au conseil des élèves de l'école : les élèves ont proposé et "
    "voté des aménagements pour la cour de récréation.",
    "Projet « Jardin de l'école » : création et entretien d'un potager avec le soutien de la mairie, sensibilisation "
    "au tri des déchets et au compostage.",
    "Participation à la commémoration du 11 Novembre au monument aux morts de la commune et travail sur les symboles "
    "de la République.",
    "Rencontre avec les agents de la police municipale : prévention routière et passage du permis piéton.",
    "Semaine de la laïcité : débats réglés autour du respect des différences et rédaction d'une charte de la classe.",
};
static const char *const PROJECT_ART[] = {
    "Visite du musée des Beaux-Arts et atelier autour du portrait ; réalisation d'une galerie de portraits exposée "
    "dans le hall de l'école.",
    "Projet chorale avec l'école de musique intercommunale : apprentissage de six chants et concert de fin d'année "
    "devant les familles.",
    "École et cinéma : projection de trois films au cinéma de la commune, suivie d'échanges en classe sur les "
    "personnages et la mise en scène.",
    "Rencontre avec une illustratrice jeunesse et création d'un album collectif.",
    "Découverte du patrimoine de la ville : visite commentée de l'église romane et du lavoir, croquis sur le vif.",
};
static const char *const PROJECT_SAN[] = {
    "Intervention de l'infirmière scolaire sur l'hygiène bucco-dentaire et l'équilibre alimentaire ; petit-déjeuner "
    "collectif en classe.",
    "Apprendre à porter secours : découverte des gestes de premiers secours et de l'alerte avec les pompiers de la "
    "caserne voisine.",
    "Projet « Bien dormir pour bien apprendre » : enquête sur le sommeil, affiches réalisées par les élèves pour les "
    "familles.",
    "Semaine du goût : découverte des fruits et légumes de saison et atelier cuisine avec le restaurant scolaire.",
    "Prévention des écrans : débat en classe et charte d'utilisation des écrans rédigée avec les familles.",
};
static const char *const PUPIL_CIT[] = {
    "{P} a été élu{e} délégué{e} de classe et a représenté ses camarades avec sérieux.",
    "{P} s'est beaucoup investi{e} dans les projets collectifs de la classe.",
    "{P} a participé activement aux débats et a proposé des idées pour la charte de la classe.",
};
static const char *const PUPIL_ART[] = {
    "{P} a pris beaucoup de plaisir à chanter lors du concert et s'est porté{e} volontaire pour un solo.",
    "{P} a réalisé une très belle production, exposée dans le hall de l'école.",
    "{P} a posé des questions pertinentes et s'est impliqué{e} dans le projet collectif.",
};
static const char *const PUPIL_SAN[] = {
    "{P} a retenu les gestes de premiers secours et a su les présenter à la classe.",
    "{P} a réalisé une affiche remarquée sur l'importance du sommeil.",
    "{P} a goûté avec curiosité les fruits et légumes proposés.",
};
static const bank PROJECTS[3] = {BANK(PROJECT_CIT), BANK(PROJECT_ART), BANK(PROJECT_SAN)};
static const bank PUPIL_PARCOURS[3] = {BANK(PUPIL_CIT), BANK(PUPIL_ART), BANK(PUPIL_SAN)};

static const char *const PPRE_TEXTS[] = {
    "PPRE lecture : séances en petit groupe deux fois par semaine pour travailler le décodage et la fluence ; point "
    "d'étape avec la famille en fin de période.",
    "PPRE mathématiques : consolidation de la numération et des tables d'addition avec du matériel de manipulation, en "
    "lien avec le RASED.",
    "PPRE compréhension : travail sur les inférences et le vocabulaire à partir d'albums, avec un suivi hebdomadaire "
    "en activités pédagogiques complémentaires.",
    "PPRE écriture : accompagnement à la production d'écrits courts à l'aide d'une banque de mots et d'outils de "
    "relecture.",
};

/* Modalités: PPRE first (the only one with a text). */
static const char *const MODALITES[] = {"PPRE", "PAP", "PAI", "PPS", "ULIS", "RASED", "UPE2A"};

static const char *const SOCLE[8] = {"CPD_FRA", "CPD_ETR", "CPD_SCI", "CPD_ART",
                                     "MET_APP", "FRM_CIT", "SYS_NAT", "REP_MND"};

/* The problems --faults plants (see the top of the file). */
enum {
    F_REG001, /* fewer than 3 complete domains */
    F_REG007, /* positionnement without élément */
    F_REG008, /* élément without positionnement */
    F_REG011, /* date-scolarite outside the period */
    F_REG012, /* date-verrou before date-creation */
    F_REG016, /* placeholder "-" text */
    F_REG009, /* pupil parcours without class parcours-commun */
    F_REG010, /* modalités present */
    F_COUNT,
    F_NONE = -1
};
static const char *const FAULT_NOTE[F_COUNT] = {
    "REG001 moins de 3 domaines complets",
    "REG007 positionnement sans élément du programme",
    "REG008 élément du programme sans positionnement",
    "REG011 date de scolarité hors période",
    "REG012 date de verrouillage antérieure à la création",
    "REG016 texte de remplissage",
    "REG009 parcours de l'élève sans projet de classe",
    "REG010 modalités d'accompagnement",
};

/* ------------------------------------------------------------------ */
/* Options and model                                                   */
/* ------------------------------------------------------------------ */

typedef struct {
    long classes, pupils;
    int periods;
    uint64_t seed;
    char uai[9];
    int uai_given;
    int year;
    int cycle_bilans;
    double faults;
    const char *output;
} options;

typedef struct {
    long idbe;
    int level; /* 0..4 = CP..CM2 */
    int nteachers;
    long teacher[2];
    char id[16];
    char label[24];
} classe;

typedef struct {
    int first, last; /* indices into CHILD_FIRST, SURNAMES */
    int classe;
    int ability;  /* 1..4 */
    int modalite; /* index into MODALITES, -1 when none */
    int ppre_text;
    char ine[12];
} pupil;

typedef struct {
    const options *opt;
    FILE *out;
    classe *classes;
    pupil *pupils;
    long npupils;
    long nteachers;
    long per_start[3], per_end[3];
    int school_commune;
    int has_cycle[4];
    int dir_first, dir_last;
    uint64_t teacher_key;
} gen;

/* Context of the pupil a sentence is about. */
typedef struct {
    const char *prenom;
    int female;
    const char *periode; /* "trimestre" or "semestre" */
    const char *next;
    int pronoun; /* a {P} opening the sentence becomes Il/Elle */
} text_ctx;

/* ------------------------------------------------------------------ */
/* Text                                                                */
/* ------------------------------------------------------------------ */

/* Code points of the first n bytes of a UTF-8 string. */
static unsigned utf8_count(const char *s, size_t n)
{
    unsigned c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

/* Replacement of the template token `t` (k bytes, braces excluded), or NULL
 * for an unknown token. */
static const char *token_value(const char *t, size_t k, const text_ctx *c)
{
#define TOKEN_IS(lit) (k == sizeof(lit) - 1 && memcmp(t, lit, k) == 0)
    if (TOKEN_IS("P"))
        return c->prenom;
    if (TOKEN_IS("Il"))
        return c->female ? "Elle" : "Il";
    if (TOKEN_IS("il"))
        return c->female ? "elle" : "il";
    if (TOKEN_IS("e"))
        return c->female ? "e" : "";
    if (TOKEN_IS("if"))
        return c->female ? "ive" : "if";
    if (TOKEN_IS("eux"))
        return c->female ? "euse" : "eux";
    if (TOKEN_IS("lui"))
        return c->female ? "elle" : "lui";
    if (TOKEN_IS("un"))
        return c->female ? "une" : "un";
    if (TOKEN_IS("periode"))
        return c->periode;
    if (TOKEN_IS("next"))
        return c->next;
    return NULL;
#undef TOKEN_IS
}

/* Writes template `t` with its tokens replaced into out (cap bytes, always
 * NUL-terminated, cut if too small); returns the bytes written, or
 * (size_t)-1 when the template holds an unknown token (check_banks rules
 * that out at start-up, so the writers need not check). */
static size_t expand(char *out, size_t cap, const char *t, const text_ctx *c)
{
    const char *start = t;
    size_t n = 0;
    while (*t) {
        if (*t == '{') {
            const char *end = strchr(t, '}');
            const char *rep = end ? token_value(t + 1, (size_t)(end - t - 1), c) : NULL;
            if (rep && c->pronoun && t == start && end == t + 2 && t[1] == 'P')
                rep = c->female ? "Elle" : "Il";
            if (!rep) {
                out[n] = '\0';
                return (size_t)-1;
            }
            size_t m = strlen(rep);
            if (n + m >= cap)
                break;
            memcpy(out + n, rep, m);
            n += m;
            t = end + 1;
            continue;
        }
        if (n + 1 >= cap)
            break;
        out[n++] = *t++;
    }
    out[n] = '\0';
    return n;
}

#define TEXT_CAP 8192
#define MAX_SLOTS 8
#define MAX_PICKS 8

/* A text under construction (up to 1500 code points of French). */
typedef struct {
    char buf[TEXT_CAP];
    size_t len;
} text;

/* One part of a composed text: `min` sentences always, up to `max`. */
typedef struct {
    bank b;
    unsigned min, max;
} slot;

/* Writes the chosen sentences into t in slot order.  With `pronouns`, a
 * sentence opening with the first name right after another one that did
 * opens with Il/Elle instead, as a teacher writes. */
static void write_picks(text *t, const slot *slots, unsigned nslots, unsigned picks[][MAX_PICKS],
                        const unsigned *npicks, const text_ctx *c, int pronouns)
{
    text_ctx cc = *c;
    int prev_named = 0;
    t->len = 0;
    for (unsigned s = 0; s < nslots; s++)
        for (unsigned i = 0; i < npicks[s]; i++) {
            const char *tmpl = slots[s].b.s[picks[s][i]];
            int opens_with_name = strncmp(tmpl, "{P}", 3) == 0;
            cc.pronoun = pronouns && opens_with_name && prev_named;
            prev_named = opens_with_name && !cc.pronoun;
            if (t->len)
                t->buf[t->len++] = ' ';
            size_t n = expand(t->buf + t->len, TEXT_CAP - t->len, tmpl, &cc);
            t->len += n;
        }
    t->buf[t->len] = '\0';
}

/* Composes a text from sentence banks: each slot gives at least its `min`
 * sentences, then random slots add more until `target` code points are
 * reached; the text never exceeds `limit` code points and never repeats a
 * sentence.  Sentences come out in slot order.  The result is in t. */
static void compose(text *t, rng *r, const slot *slots, unsigned nslots, unsigned target, unsigned limit,
                    const text_ctx *c)
{
    unsigned picks[MAX_SLOTS][MAX_PICKS], npicks[MAX_SLOTS] = {0};
    uint64_t used[MAX_SLOTS] = {0};
    unsigned total = 0;
    char tmp[2048];

    for (unsigned pass = 0; pass < 2; pass++) {
        for (unsigned guard = 0; guard < 64; guard++) {
            /* pass 0: the next slot short of its minimum; pass 1: a random
             * slot below its maximum with sentences left */
            unsigned s = nslots, avail = 0;
            for (unsigned i = 0; i < nslots; i++) {
                unsigned left = slots[i].b.n - bits_set(used[i]);
                unsigned want = pass == 0 ? slots[i].min : slots[i].max;
                if (npicks[i] < want && left > 0 && npicks[i] < MAX_PICKS) {
                    if (pass == 0) {
                        s = i;
                        break;
                    }
                    avail++;
                }
            }
            if (pass == 1) {
                if (avail == 0 || total >= target)
                    break;
                unsigned k = rng_below(r, avail);
                for (unsigned i = 0; i < nslots; i++) {
                    unsigned left = slots[i].b.n - bits_set(used[i]);
                    if (npicks[i] < slots[i].max && left > 0 && npicks[i] < MAX_PICKS && k-- == 0) {
                        s = i;
                        break;
                    }
                }
            }
            if (s == nslots)
                break;
            unsigned left = slots[s].b.n - bits_set(used[s]);
            unsigned k = rng_below(r, left), j = 0;
            for (;; j++)
                if (!(used[s] >> j & 1) && k-- == 0)
                    break;
            used[s] |= 1ULL << j;
            size_t n = expand(tmp, sizeof tmp, slots[s].b.s[j], c);
            unsigned cps = utf8_count(tmp, n) + (total ? 1 : 0);
            if (total + cps > limit)
                continue; /* too long here: try another */
            total += cps;
            picks[s][npicks[s]++] = j;
        }
    }
    /* within a slot, sentences keep the bank's order, which reads best
     * (a bank opens with its most general sentence) */
    for (unsigned s = 0; s < nslots; s++)
        for (unsigned i = 1; i < npicks[s]; i++)
            for (unsigned j = i; j > 0 && picks[s][j - 1] > picks[s][j]; j--) {
                unsigned tmp_pick = picks[s][j];
                picks[s][j] = picks[s][j - 1];
                picks[s][j - 1] = tmp_pick;
            }
    /* lengths were measured with the first name everywhere; a pronoun can
     * be one character longer than a short name: fall back when needed */
    write_picks(t, slots, nslots, picks, npicks, c, 1);
    if (utf8_count(t->buf, t->len) > limit)
        write_picks(t, slots, nslots, picks, npicks, c, 0);
}

/* Writes s with the XML special characters escaped (for text and for
 * double-quoted attributes alike). */
static void put_escaped(FILE *out, const char *s)
{
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        default: continue;
        }
        fwrite(run, 1, (size_t)(s - run), out);
        fputs(rep, out);
        run = s + 1;
    }
    fputs(run, out);
}

/* Writes ` name="value"` with the value escaped. */
static void put_attr(FILE *out, const char *name, const char *value)
{
    fprintf(out, " %s=\"", name);
    put_escaped(out, value);
    fputc('"', out);
}

/* Writes `<name>text</name>` on its own line at the given indentation. */
static void put_element(FILE *out, int indent, const char *name, const char *value)
{
    fprintf(out, "%*s<%s>", indent, "", name);
    put_escaped(out, value);
    fprintf(out, "</%s>\n", name);
}

/* ------------------------------------------------------------------ */
/* Self-check of the banks                                             */
/* ------------------------------------------------------------------ */

/* Checks one bank: every template expands and stays short.  0 when fine. */
static int check_bank(const bank *b, const char *what)
{
    text_ctx c = {"Marie-Hélène", 1, "trimestre", "sixième", 0};
    char tmp[2048];
    if (b->n == 0 || b->n > 64) {
        fprintf(stderr, "lsu-gen: internal: bank %s has %u sentences\n", what, b->n);
        return -1;
    }
    for (unsigned i = 0; i < b->n; i++) {
        size_t n = expand(tmp, sizeof tmp, b->s[i], &c);
        if (n == (size_t)-1 || utf8_count(tmp, n) > 300) {
            fprintf(stderr, "lsu-gen: internal: bad sentence in %s: %s\n", what, b->s[i]);
            return -1;
        }
    }
    return 0;
}

/* Checks, at start-up, what the schema relies on: element labels unique and
 * at most 300 characters, sentence templates well formed.  Cheap (a few
 * hundred strings); 0 when fine. */
static int check_banks(void)
{
    const char *labels[(COUNT(UNITS_C2) + COUNT(UNITS_C3)) * 4];
    size_t n = 0;
    for (size_t i = 0; i < COUNT(UNITS_C2); i++)
        for (int j = 0; j < 4; j++)
            labels[n++] = UNITS_C2[i].labels[j];
    for (size_t i = 0; i < COUNT(UNITS_C3); i++)
        for (int j = 0; j < 4; j++)
            labels[n++] = UNITS_C3[i].labels[j];
    for (size_t i = 0; i < n; i++) {
        if (utf8_count(labels[i], strlen(labels[i])) > 300)
            goto bad;
        for (size_t j = i + 1; j < n; j++)
            if (strcmp(labels[i], labels[j]) == 0)
                goto bad;
        continue;
    bad:
        fprintf(stderr, "lsu-gen: internal: element label too long or duplicated: %s\n", labels[i]);
        return -1;
    }
    for (size_t i = 0; i < COUNT(PHRASES); i++)
        for (int t = 0; t < 3; t++)
            if (check_bank(&PHRASES[i].tone[t], PHRASES[i].domain))
                return -1;
    const bank others[] = {
        BANK(ADVICE_0),     BANK(ADVICE_1),    BANK(ADVICE_2),    BANK(OPEN_FIRST_0), BANK(OPEN_FIRST_1),
        BANK(OPEN_FIRST_2), BANK(OPEN_MID_0),  BANK(OPEN_MID_1),  BANK(OPEN_MID_2),   BANK(OPEN_LAST_0),
        BANK(OPEN_LAST_1),  BANK(OPEN_LAST_2), BANK(WORK_0),      BANK(WORK_1),       BANK(WORK_2),
        BANK(BEHAVE_0),     BANK(BEHAVE_1),    BANK(BEHAVE_2),    BANK(COUNSEL_0),    BANK(COUNSEL_1),
        BANK(COUNSEL_2),    BANK(CLOSE_MID),   BANK(CLOSE_LAST),  BANK(SYNTH_0),      BANK(SYNTH_1),
        BANK(SYNTH_2),      BANK(PROJECT_CIT), BANK(PROJECT_ART), BANK(PROJECT_SAN),  BANK(PUPIL_CIT),
        BANK(PUPIL_ART),    BANK(PUPIL_SAN),   BANK(PPRE_TEXTS),
    };
    for (size_t i = 0; i < COUNT(others); i++)
        if (check_bank(&others[i], "phrases"))
            return -1;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Model set-up                                                        */
/* ------------------------------------------------------------------ */

/* UAI check letter of a 7-digit number (23 letters, no I, O, Q). */
static char uai_key(uint64_t n)
{
    static const char letters[] = "ABCDEFGHJKLMNPRSTUVWXYZ";
    return letters[n % 23];
}

/* Cycle (2 or 3) of a level index. */
static int cycle_of(int level)
{
    return level < 3 ? 2 : 3;
}

/* Builds classes, pupils, teachers and the calendar from the options.
 * Allocates g->classes and g->pupils (freed by gen_free); 0 or -1 when
 * memory ran out. */
static int gen_setup(gen *g, options *o)
{
    rng r;
    memset(g, 0, sizeof *g);
    g->opt = o;
    rng_init(&r, o->seed, TAG_SCHOOL, 0, 0);
    g->school_commune = (int)rng_below(&r, (unsigned)COUNT(COMMUNES));
    g->dir_first = (int)rng_below(&r, (unsigned)COUNT(ADULT_FIRST));
    g->dir_last = (int)rng_below(&r, (unsigned)COUNT(SURNAMES));

    g->classes = calloc((size_t)o->classes, sizeof *g->classes);
    g->npupils = o->classes * o->pupils;
    g->pupils = calloc((size_t)g->npupils, sizeof *g->pupils);
    if (!g->classes || !g->pupils)
        return -1;

    /* class ids: 100000 + a permutation of the index in [0, 900000) */
    uint64_t be_key = rng_next(&r);
    long next_teacher = 0;
    for (long c = 0; c < o->classes; c++) {
        classe *k = &g->classes[c];
        rng cr;
        rng_init(&cr, o->seed, TAG_CLASS, (uint64_t)c, 0);
        k->level = (int)(c % 5);
        k->idbe = 100000 + (long)permute((uint64_t)c, 20, 900000, be_key);
        snprintf(k->id, sizeof k->id, "CL_%ld", k->idbe);
        long round = c / 5;
        if (round < 26)
            snprintf(k->label, sizeof k->label, "%s %c", LEVELS[k->level], (char)('A' + round));
        else
            snprintf(k->label, sizeof k->label, "%s %ld", LEVELS[k->level], round + 1);
        k->nteachers = rng_chance(&cr, 25) ? 2 : 1;
        for (int t = 0; t < k->nteachers; t++)
            k->teacher[t] = next_teacher++;
        g->has_cycle[cycle_of(k->level)] = 1;
    }
    g->nteachers = next_teacher;
    if ((uint64_t)next_teacher > (uint64_t)COUNT(ADULT_FIRST) * COUNT(SURNAMES))
        return -1; /* cannot happen within MAX_CLASSES: names are unique */
    g->teacher_key = rng_next(&r);

    /* INE: 10 digits from a permutation of the pupil index in [0, 10^10),
     * then a check letter; first names: a permutation per class, so that a
     * class has no two pupils of the same first name */
    const uint64_t ten10 = 10000000000ULL;
    uint64_t ine_key = rng_next(&r);
    uint64_t nfirst = COUNT(CHILD_FIRST);
    for (long i = 0; i < g->npupils; i++) {
        pupil *p = &g->pupils[i];
        rng pr;
        rng_init(&pr, o->seed, TAG_PUPIL, (uint64_t)i, 0);
        p->classe = (int)(i / o->pupils);
        uint64_t in_class = (uint64_t)(i % o->pupils) % nfirst;
        p->first = (int)permute(in_class, bits_for(nfirst), nfirst, mix64(be_key ^ (uint64_t)p->classe));
        p->last = (int)rng_below(&pr, (unsigned)COUNT(SURNAMES));
        if (strcmp(CHILD_FIRST[p->first].name, SURNAMES[p->last]) == 0) /* no "François François" */
            p->last = (p->last + 1) % (int)COUNT(SURNAMES);
        unsigned a = rng_below(&pr, 100);
        p->ability = a < 10 ? 1 : a < 35 ? 2 : a < 80 ? 3 : 4;
        unsigned m = rng_below(&pr, 100);
        p->modalite = -1;
        if (m < 4 || (m < 8 && p->ability == 1))
            p->modalite = 0; /* PPRE */
        else if (m < 6)
            p->modalite = 1 + (int)rng_below(&pr, (unsigned)COUNT(MODALITES) - 1);
        p->ppre_text = (int)rng_below(&pr, (unsigned)COUNT(PPRE_TEXTS));
        uint64_t num = permute((uint64_t)i, 34, ten10, ine_key);
        snprintf(p->ine, sizeof p->ine, "%010llu%c", (unsigned long long)num, uai_key(num));
    }

    /* calendar: rentrée on the first Monday from 1 September, end on the
     * first Saturday from 1 July */
    int y = o->year;
    long rentree = next_weekday(days_from_civil(y, 9, 1), 1);
    long end = next_weekday(days_from_civil(y + 1, 7, 1), 6);
    if (o->periods == 3) {
        g->per_start[0] = rentree;
        g->per_end[0] = days_from_civil(y, 11, 30);
        g->per_start[1] = days_from_civil(y, 12, 1);
        g->per_end[1] = days_from_civil(y + 1, 3, 8);
        g->per_start[2] = days_from_civil(y + 1, 3, 9);
        g->per_end[2] = end;
    } else {
        g->per_start[0] = rentree;
        g->per_end[0] = days_from_civil(y + 1, 1, 31);
        g->per_start[1] = days_from_civil(y + 1, 2, 1);
        g->per_end[1] = end;
    }

    if (!o->uai_given) {
        const char *cp = COMMUNES[g->school_commune].cp;
        unsigned long dept = (unsigned long)(cp[0] - '0') * 10 + (unsigned long)(cp[1] - '0');
        if (dept == 97)
            dept = 970 + (unsigned long)(cp[2] - '0');
        unsigned long num = dept * 10000 + rng_below(&r, 10000);
        snprintf(o->uai, sizeof o->uai, "%07lu%c", num % 10000000, uai_key(num));
    }
    return 0;
}

/* Releases what gen_setup allocated. */
static void gen_free(gen *g)
{
    free(g->classes);
    free(g->pupils);
}

/* Name of teacher t: unique (first, last) pairs through a permutation. */
static void teacher_name(const gen *g, long t, int *first, int *last)
{
    uint64_t names = (uint64_t)COUNT(ADULT_FIRST) * COUNT(SURNAMES);
    uint64_t k = permute((uint64_t)t, bits_for(names), names, g->teacher_key);
    *last = (int)(k % COUNT(SURNAMES));
    *first = (int)(k / COUNT(SURNAMES));
}

/* Bit set of the parcours codes (1 PAR_CIT, 2 PAR_ART, 4 PAR_SAN) that class
 * c has a project for in period k: one or two, never all three, so that a
 * pupil parcours without project can always be planted. */
static unsigned class_parcours(const gen *g, long c, int k)
{
    static const unsigned masks[6] = {1, 2, 4, 3, 5, 6};
    rng r;
    rng_init(&r, g->opt->seed, TAG_PARCOURS, (uint64_t)c, (uint64_t)k);
    return masks[rng_below(&r, 6)];
}

/* ------------------------------------------------------------------ */
/* Writers of the document parts, in document order                    */
/* ------------------------------------------------------------------ */

/* Root, entete and the directeur. */
static void emit_head(const gen *g)
{
    FILE *out = g->out;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<lsun-bilans xmlns=\"urn:fr:edu:scolarite:lsun:bilans:import\""
          " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
          " xsi:schemaLocation=\"urn:fr:edu:scolarite:lsun:bilans:import import-bilan-1d.xsd\""
          " schemaVersion=\"1.0\">\n"
          "  <entete>\n"
          "    <editeur>lsu-gen</editeur>\n"
          "    <application>lsu-gen (données fictives)</application>\n",
          out);
    fprintf(out, "    <etablissement>%s</etablissement>\n  </entete>\n  <donnees>\n", g->opt->uai);
    fputs("    <directeurs>\n      <directeur id=\"DIR_1\"", out);
    put_attr(out, "civilite", ADULT_FIRST[g->dir_first].female ? "MME" : "M");
    put_attr(out, "nom", SURNAMES[g->dir_last]);
    put_attr(out, "prenom", ADULT_FIRST[g->dir_first].name);
    fputs("/>\n    </directeurs>\n", out);
}

/* classes and eleves. */
static void emit_classes_eleves(const gen *g)
{
    FILE *out = g->out;
    fputs("    <classes>\n", out);
    for (long c = 0; c < g->opt->classes; c++) {
        const classe *k = &g->classes[c];
        fprintf(out, "      <classe id=\"%s\" id-be=\"%ld\"", k->id, k->idbe);
        put_attr(out, "libelle", k->label);
        fputs("/>\n", out);
    }
    fputs("    </classes>\n    <eleves>\n", out);
    for (long i = 0; i < g->npupils; i++) {
        const pupil *p = &g->pupils[i];
        fprintf(out, "      <eleve id=\"EL_%ld\" ine=\"%s\" classe-ref=\"%s\"", i + 1, p->ine,
                g->classes[p->classe].id);
        put_attr(out, "nom", SURNAMES[p->last]);
        put_attr(out, "prenom", CHILD_FIRST[p->first].name);
        fputs("/>\n", out);
    }
    fputs("    </eleves>\n", out);
}

/* Id of period k ("PER_T1", "PER_S2"). */
static void period_id(const gen *g, int k, char *out, size_t size)
{
    snprintf(out, size, "PER_%c%d", g->opt->periods == 3 ? 'T' : 'S', k + 1);
}

/* periodes, enseignants and elements-programme. */
static void emit_periods_teachers_elements(const gen *g)
{
    FILE *out = g->out;
    char id[16], d1[16], d2[16];
    fputs("    <periodes>\n", out);
    for (int k = 0; k < g->opt->periods; k++) {
        period_id(g, k, id, sizeof id);
        format_date(g->per_start[k], d1, sizeof d1);
        format_date(g->per_end[k], d2, sizeof d2);
        fprintf(out,
                "      <periode id=\"%s\" millesime=\"%d\" indice=\"%d\" nb-periodes=\"%d\" date-debut=\"%s\""
                " date-fin=\"%s\"/>\n",
                id, g->opt->year, k + 1, g->opt->periods, d1, d2);
    }
    fputs("    </periodes>\n    <enseignants>\n", out);
    for (long t = 0; t < g->nteachers; t++) {
        int f, l;
        teacher_name(g, t, &f, &l);
        fprintf(out, "      <enseignant id=\"ENS_%ld\"", t + 1);
        put_attr(out, "civilite", ADULT_FIRST[f].female ? "MME" : "M");
        put_attr(out, "nom", SURNAMES[l]);
        put_attr(out, "prenom", ADULT_FIRST[f].name);
        fputs("/>\n", out);
    }
    fputs("    </enseignants>\n    <elements-programme>\n", out);
    for (int cy = 2; cy <= 3; cy++) {
        if (!g->has_cycle[cy])
            continue;
        const unit *u = cy == 2 ? UNITS_C2 : UNITS_C3;
        size_t n = cy == 2 ? COUNT(UNITS_C2) : COUNT(UNITS_C3);
        for (size_t i = 0; i < n; i++)
            for (int j = 0; j < 4; j++) {
                fprintf(out, "      <element-programme id=\"EP%d_%03zu\"", cy, i * 4 + (size_t)j + 1);
                put_attr(out, "libelle", u[i].labels[j]);
                fputs("/>\n", out);
            }
    }
    fputs("    </elements-programme>\n", out);
}

/* Context for sentences about pupil p in period k. */
static text_ctx ctx_for(const gen *g, const pupil *p)
{
    text_ctx c;
    c.prenom = CHILD_FIRST[p->first].name;
    c.female = CHILD_FIRST[p->first].female;
    c.periode = g->opt->periods == 3 ? "trimestre" : "semestre";
    c.next = NEXT_LEVEL[g->classes[p->classe].level];
    c.pronoun = 0;
    return c;
}

/* parcours-communs: the class projects of every class and period. */
static void emit_parcours_communs(const gen *g)
{
    FILE *out = g->out;
    char pid[16];
    fputs("    <parcours-communs>\n", out);
    for (long c = 0; c < g->opt->classes; c++)
        for (int k = 0; k < g->opt->periods; k++) {
            unsigned mask = class_parcours(g, c, k);
            rng r;
            rng_init(&r, g->opt->seed, TAG_PARCOURS, (uint64_t)c, 100 + (uint64_t)k);
            period_id(g, k, pid, sizeof pid);
            fprintf(out, "      <parcours-commun periode-ref=\"%s\" classe-ref=\"%s\">\n", pid, g->classes[c].id);
            for (int code = 0; code < 3; code++) {
                if (!(mask >> code & 1))
                    continue;
                const bank *b = &PROJECTS[code];
                fprintf(out, "        <parcours code=\"%s\">", PARCOURS_CODES[code]);
                put_escaped(out, b->s[((unsigned)c + (unsigned)k + rng_below(&r, b->n)) % b->n]);
                fputs("</parcours>\n", out);
            }
            fputs("      </parcours-commun>\n", out);
        }
    fputs("    </parcours-communs>\n", out);
}

/* Tone (0 fragile, 1 satisfaisant, 2 très bien) of a mean positionnement
 * given as sum/count. */
static int tone_of(int sum, int count)
{
    if (count == 0)
        return 1;
    if (2 * sum < 5 * count)
        return 0;
    if (2 * sum < 7 * count)
        return 1;
    return 2;
}

/* Phrase bank of a domain for a cycle and tone. */
static const bank *domain_bank(const char *domain, int cycle, int tone)
{
    for (size_t i = 0; i < COUNT(PHRASES); i++)
        if (strcmp(PHRASES[i].domain, domain) == 0 && (PHRASES[i].cycle == 0 || PHRASES[i].cycle == cycle))
            return &PHRASES[i].tone[tone];
    return &PHRASES[0].tone[tone];
}

/* A positionnement 1..4 around the pupil's ability, a little better as the
 * year goes on. */
static int draw_position(rng *r, int ability, int k)
{
    int v = ability;
    unsigned d = rng_below(r, 100);
    if (d < 18)
        v--;
    else if (d < (unsigned)(36 + 4 * k))
        v++;
    return v < 1 ? 1 : v > 4 ? 4 : v;
}

/* Writes the element-programme-refs attribute for unit i of a cycle in
 * period k of n. */
static void put_refs(FILE *out, int cycle, size_t i, int k, int n)
{
    fputs(" element-programme-refs=\"", out);
    int first = 1;
    for (int j = 0; j < 4; j++)
        if (j % n == k) {
            fprintf(out, "%sEP%d_%03zu", first ? "" : " ", cycle, i * 4 + (size_t)j + 1);
            first = 0;
        }
    fputc('"', out);
}

/* Length target for a domain appreciation (50..600 code points). */
static unsigned appreciation_target(rng *r)
{
    if (rng_chance(r, 15))
        return 200 + rng_below(r, 400);
    return 60 + rng_below(r, 180);
}

/* liste-acquis of one bilan.  `fault` bends it as described at the top of
 * the file; adds the positionnements given to *psum and their number to
 * *pcount (the appreciation-generale's tone follows them). */
static void emit_acquis(const gen *g, rng *r, const pupil *p, int k, int fault, int *psum, int *pcount)
{
    FILE *out = g->out;
    int cycle = cycle_of(g->classes[p->classe].level);
    const unit *u = cycle == 2 ? UNITS_C2 : UNITS_C3;
    size_t n = cycle == 2 ? COUNT(UNITS_C2) : COUNT(UNITS_C3);
    text_ctx c = ctx_for(g, p);
    text t;
    int nper = g->opt->periods;

    fputs("        <liste-acquis>\n", out);
    for (size_t i = 0; i < n;) {
        const char *dom = u[i].domain;
        size_t end = i;
        while (end < n && strcmp(u[end].domain, dom) == 0)
            end++;
        int is_fra_mat = strcmp(dom, "FRA-RAC") == 0 || strcmp(dom, "MAT-RAC") == 0;
        if (fault == F_REG001 && !is_fra_mat) {
            i = end;
            continue;
        }
        /* positionnements of the units of this domain first: the
         * appreciation's tone follows them */
        int pos[4], skip[4] = {0}, nonev[4] = {0}, sum = 0, cnt = 0;
        for (size_t j = i; j < end; j++) {
            size_t q = j - i;
            pos[q] = draw_position(r, p->ability, k);
            if (u[j].sub && !is_fra_mat && rng_chance(r, 8) && q > 0)
                skip[q] = 1; /* not worked this period (never the first) */
            else if (rng_chance(r, 2))
                nonev[q] = 1;
            if (!skip[q] && !nonev[q]) {
                sum += pos[q];
                cnt++;
            }
        }
        if (fault == F_REG008 && strcmp(dom, "MAT-RAC") == 0)
            skip[0] = nonev[0] = 0;
        *psum += sum;
        *pcount += cnt;
        int want_app = rng_chance(r, is_fra_mat ? 95 : 75);
        int placeholder = fault == F_REG016 && strcmp(dom, "EMC-RAC") == 0;
        int tone = tone_of(sum, cnt);
        if (placeholder) {
            snprintf(t.buf, sizeof t.buf, "-");
            want_app = 1;
        } else if (want_app || (fault == F_REG007 && strcmp(dom, "EPS-RAC") == 0)) {
            slot s[2] = {{*domain_bank(dom, cycle, tone), 1, 4}, {BANK(ADVICE_0), 0, 1}};
            if (tone == 1)
                s[1].b = (bank)BANK(ADVICE_1);
            else if (tone == 2)
                s[1].b = (bank)BANK(ADVICE_2);
            unsigned target = appreciation_target(r);
            compose(&t, r, s, 2, target, 600, &c);
            want_app = 1;
        }

        fprintf(out, "          <acquis code-domaine=\"%s\"", dom);
        if (!u[i].sub) {
            /* a domain without sub-domains carries the positionnement */
            if (fault == F_REG007 && strcmp(dom, "EPS-RAC") == 0) {
                fprintf(out, " positionnement=\"%d\"", pos[0]);
            } else {
                put_refs(out, cycle, i, k, nper);
                if (nonev[0])
                    fputs(" non-evalue=\"true\"", out);
                else
                    fprintf(out, " positionnement=\"%d\"", pos[0]);
            }
            if (!want_app) {
                fputs("/>\n", out);
                i = end;
                continue;
            }
            fputs(">\n", out);
            put_element(out, 12, "appreciation", t.buf);
            fputs("          </acquis>\n", out);
            i = end;
            continue;
        }
        fputs(">\n", out);
        if (want_app)
            put_element(out, 12, "appreciation", t.buf);
        fputs("            <sous-domaines>\n", out);
        for (size_t j = i; j < end; j++) {
            size_t q = j - i;
            if (skip[q])
                continue;
            fprintf(out, "              <sous-domaine code-domaine=\"%s\"", u[j].sub);
            put_refs(out, cycle, j, k, nper);
            if (fault == F_REG008 && strcmp(u[j].sub, "MAT-NBC") == 0)
                ; /* élément without positionnement */
            else if (nonev[q])
                fputs(" non-evalue=\"true\"", out);
            else
                fprintf(out, " positionnement=\"%d\"", pos[q]);
            fputs("/>\n", out);
        }
        fputs("            </sous-domaines>\n          </acquis>\n", out);
        i = end;
    }
    fputs("        </liste-acquis>\n", out);
}

/* responsables of pupil i (the same in every bilan of the pupil). */
static void emit_responsables(const gen *g, long i, int indent)
{
    FILE *out = g->out;
    const pupil *p = &g->pupils[i];
    rng r;
    rng_init(&r, g->opt->seed, TAG_FAMILY, (uint64_t)i, 0);
    if (rng_chance(&r, 7))
        return; /* no responsable exported */
    int two = rng_chance(&r, 78);
    int home = rng_chance(&r, 70) ? g->school_commune : (int)rng_below(&r, (unsigned)COUNT(COMMUNES));
    unsigned number = 1 + rng_below(&r, 120);
    int street = (int)rng_below(&r, (unsigned)COUNT(STREETS));
    int line2 = rng_chance(&r, 20) ? (int)rng_below(&r, (unsigned)COUNT(ADDRESS_LINE2)) : -1;
    int has_addr = rng_chance(&r, 90);
    fprintf(out, "%*s<responsables>\n", indent, "");
    for (int n = 0; n < (two ? 2 : 1); n++) {
        int mother = n == 0 ? rng_chance(&r, 85) : 0;
        int first;
        do
            first = (int)rng_below(&r, (unsigned)COUNT(ADULT_FIRST));
        while (ADULT_FIRST[first].female != mother);
        int last = p->last;
        if (mother && rng_chance(&r, 30))
            last = (int)rng_below(&r, (unsigned)COUNT(SURNAMES));
        if (n == 1 && rng_chance(&r, 25)) { /* separated parents: another home */
            home = (int)rng_below(&r, (unsigned)COUNT(COMMUNES));
            number = 1 + rng_below(&r, 120);
            street = (int)rng_below(&r, (unsigned)COUNT(STREETS));
            line2 = -1;
        }
        fprintf(out, "%*s<responsable", indent + 2, "");
        put_attr(out, "civilite", mother ? "MME" : "M");
        put_attr(out, "nom", SURNAMES[last]);
        put_attr(out, "prenom", ADULT_FIRST[first].name);
        put_attr(out, "lien-parente", mother ? "Mère" : "Père");
        if (!has_addr) {
            fputs("/>\n", out);
            continue;
        }
        char line1[64];
        snprintf(line1, sizeof line1, "%u %s", number, STREETS[street]);
        fputs(">\n", out);
        fprintf(out, "%*s<adresse", indent + 4, "");
        put_attr(out, "ligne1", line1);
        if (line2 >= 0)
            put_attr(out, "ligne2", ADDRESS_LINE2[line2]);
        put_attr(out, "code-postal", COMMUNES[home].cp);
        put_attr(out, "commune", COMMUNES[home].commune);
        fputs("/>\n", out);
        fprintf(out, "%*s</responsable>\n", indent + 2, "");
    }
    fprintf(out, "%*s</responsables>\n", indent, "");
}

/* Writes enseignant-refs for class c. */
static void put_teacher_refs(FILE *out, const classe *k)
{
    fputs(" enseignant-refs=\"", out);
    for (int t = 0; t < k->nteachers; t++)
        fprintf(out, "%sENS_%ld", t ? " " : "", k->teacher[t] + 1);
    fputc('"', out);
}

/* Writes a date-verrou value: day z at a plausible end-of-day time. */
static void put_datetime(FILE *out, const char *name, long z, rng *r)
{
    char d[16];
    format_date(z, d, sizeof d);
    /* one draw per statement: argument evaluation order is unspecified */
    unsigned h = 16 + rng_below(r, 4);
    unsigned m = rng_below(r, 60);
    unsigned sec = rng_below(r, 60);
    fprintf(out, " %s=\"%sT%02u:%02u:%02u\"", name, d, h, m, sec);
}

/* One bilan-periodique: pupil i, period k. */
static void emit_bilan(gen *g, long i, int k)
{
    FILE *out = g->out;
    const pupil *p = &g->pupils[i];
    const classe *cl = &g->classes[p->classe];
    rng r, fr;
    rng_init(&r, g->opt->seed, TAG_BILAN, (uint64_t)i, (uint64_t)k);
    rng_init(&fr, g->opt->seed, TAG_FAULT, (uint64_t)i, (uint64_t)k);
    int fault = F_NONE;
    if (g->opt->faults > 0 && rng_unit(&fr) < g->opt->faults) {
        fault = (int)rng_below(&fr, F_COUNT);
        if (fault == F_REG010 && p->modalite >= 0)
            fault = F_REG016;
        fprintf(out, "      <!-- lsu-gen: anomalie %s -->\n", FAULT_NOTE[fault]);
    }
    char pid[16], d[16];
    period_id(g, k, pid, sizeof pid);
    long creation = g->per_end[k] - 3 - (long)rng_below(&r, 12);
    long verrou = creation + 1 + (long)rng_below(&r, 10);
    long scolarite = g->per_start[k];
    if (fault == F_REG011)
        scolarite = k > 0 ? g->per_start[0] : g->per_start[0] - 7;
    if (fault == F_REG012)
        verrou = creation - 1 - (long)rng_below(&fr, 20);

    fprintf(out, "      <bilan-periodique eleve-ref=\"EL_%ld\" periode-ref=\"%s\"", i + 1, pid);
    put_teacher_refs(out, cl);
    format_date(creation, d, sizeof d);
    fprintf(out, " date-creation=\"%s\"", d);
    format_date(scolarite, d, sizeof d);
    fprintf(out, " date-scolarite=\"%s\"", d);
    put_datetime(out, "date-verrou", verrou, &r);
    fputs(" directeur-ref=\"DIR_1\">\n", out);

    int sum = 0, count = 0;
    emit_acquis(g, &r, p, k, fault, &sum, &count);
    text_ctx c = ctx_for(g, p);
    int tone = tone_of(sum, count);

    /* the pupil's parcours: one of the class's projects, for some pupils */
    unsigned mask = class_parcours(g, p->classe, k);
    int pcode = -1;
    if (fault == F_REG009) {
        for (int code = 0; code < 3 && pcode < 0; code++)
            if (!(mask >> code & 1))
                pcode = code;
    } else if (rng_chance(&r, 25)) {
        unsigned nset = bits_set(mask), pick = rng_below(&r, nset);
        for (int code = 0; code < 3; code++)
            if (mask >> code & 1 && pick-- == 0)
                pcode = code;
    }
    if (pcode >= 0) {
        char tmp[1024];
        const bank *b = &PUPIL_PARCOURS[pcode];
        expand(tmp, sizeof tmp, b->s[rng_below(&r, b->n)], &c);
        fprintf(out, "        <liste-parcours>\n          <parcours code=\"%s\">", PARCOURS_CODES[pcode]);
        put_escaped(out, tmp);
        fputs("</parcours>\n        </liste-parcours>\n", out);
    }

    int modalite = p->modalite, ppre_text = p->ppre_text;
    if (fault == F_REG010) {
        modalite = (int)rng_below(&fr, 3); /* PPRE, PAP or PAI */
        ppre_text = (int)rng_below(&fr, (unsigned)COUNT(PPRE_TEXTS));
    }
    if (modalite >= 0) {
        fprintf(out, "        <modalites-accompagnement>\n          <modalite-accompagnement code=\"%s\"",
                MODALITES[modalite]);
        if (modalite == 0) {
            fputs(">\n", out);
            put_element(out, 12, "complement-ppre", PPRE_TEXTS[ppre_text]);
            fputs("          </modalite-accompagnement>\n", out);
        } else {
            fputs("/>\n", out);
        }
        fputs("        </modalites-accompagnement>\n", out);
    }

    /* appreciation-generale: 200..1500 code points */
    int cycle = cycle_of(cl->level);
    int last = k == g->opt->periods - 1;
    const bank opens[3][3] = {
        {BANK(OPEN_FIRST_0), BANK(OPEN_FIRST_1), BANK(OPEN_FIRST_2)},
        {BANK(OPEN_MID_0), BANK(OPEN_MID_1), BANK(OPEN_MID_2)},
        {BANK(OPEN_LAST_0), BANK(OPEN_LAST_1), BANK(OPEN_LAST_2)},
    };
    const bank works[3] = {BANK(WORK_0), BANK(WORK_1), BANK(WORK_2)};
    const bank behaves[3] = {BANK(BEHAVE_0), BANK(BEHAVE_1), BANK(BEHAVE_2)};
    const bank counsels[3] = {BANK(COUNSEL_0), BANK(COUNSEL_1), BANK(COUNSEL_2)};
    int when = k == 0 ? 0 : last ? 2 : 1;
    slot s[7] = {
        {opens[when][tone], 1, 1},
        {works[tone], 1, 4},
        {*domain_bank("FRA-RAC", cycle, tone), 0, 3},
        {*domain_bank("MAT-RAC", cycle, tone), 0, 3},
        {behaves[tone], 1, 3},
        {counsels[tone], 0, 2},
        {BANK(CLOSE_MID), 0, 1},
    };
    if (last)
        s[6] = (slot){BANK(CLOSE_LAST), 1, 1};
    unsigned target = rng_chance(&r, 85) ? 250 + rng_below(&r, 450) : 700 + rng_below(&r, 800);
    text t;
    compose(&t, &r, s, 7, target, 1500, &c);
    put_element(out, 8, "appreciation-generale", t.buf);

    emit_responsables(g, i, 8);
    fputs("      </bilan-periodique>\n", out);
}

/* bilans-periodiques: every pupil, every period (grouped by pupil, as the
 * exporters do). */
static void emit_bilans(gen *g)
{
    fputs("    <bilans-periodiques>\n", g->out);
    for (long i = 0; i < g->npupils; i++)
        for (int k = 0; k < g->opt->periods; k++)
            emit_bilan(g, i, k);
    fputs("    </bilans-periodiques>\n", g->out);
}

/* bilans-cycle: a bilan de fin de cycle 2 for every CE2 pupil. */
static void emit_bilans_cycle(gen *g)
{
    FILE *out = g->out;
    int any = 0;
    for (long i = 0; i < g->npupils; i++) {
        const pupil *p = &g->pupils[i];
        const classe *cl = &g->classes[p->classe];
        if (cl->level != 2)
            continue;
        if (!any)
            fputs("    <bilans-cycle>\n", out);
        any = 1;
        rng r;
        rng_init(&r, g->opt->seed, TAG_CYCLE, (uint64_t)i, 0);
        long end = g->per_end[g->opt->periods - 1];
        long creation = end - 14 - (long)rng_below(&r, 10);
        char d[16];
        fprintf(out, "      <bilan-cycle eleve-ref=\"EL_%ld\" cycle=\"2\" millesime=\"%d\"", i + 1, g->opt->year);
        put_teacher_refs(out, cl);
        format_date(creation, d, sizeof d);
        fprintf(out, " date-creation=\"%s\"", d);
        put_datetime(out, "date-verrou", creation + 1 + (long)rng_below(&r, 7), &r);
        fputs(" directeur-ref=\"DIR_1\">\n        <socle>\n", out);
        int sum = 0;
        for (int s = 0; s < 8; s++) {
            int v = draw_position(&r, p->ability, 2);
            if (s == 1 && p->modalite == 4 && rng_chance(&r, 50))
                v = 0; /* dispensé */
            sum += v;
            fprintf(out, "          <domaine code=\"%s\" positionnement=\"%d\"/>\n", SOCLE[s], v);
        }
        fputs("        </socle>\n", out);
        text_ctx c = ctx_for(g, p);
        int tone = tone_of(sum, 8);
        const bank synth[3] = {BANK(SYNTH_0), BANK(SYNTH_1), BANK(SYNTH_2)};
        const bank behaves[3] = {BANK(BEHAVE_0), BANK(BEHAVE_1), BANK(BEHAVE_2)};
        const bank works[3] = {BANK(WORK_0), BANK(WORK_1), BANK(WORK_2)};
        slot s[3] = {{synth[tone], 2, 4}, {works[tone], 0, 2}, {behaves[tone], 0, 1}};
        text t;
        compose(&t, &r, s, 3, 220 + rng_below(&r, 500), 1500, &c);
        put_element(out, 8, "synthese", t.buf);
        emit_responsables(g, i, 8);
        fputs("      </bilan-cycle>\n", out);
    }
    if (any)
        fputs("    </bilans-cycle>\n", out);
}

/* The whole document. */
static void emit_document(gen *g)
{
    emit_head(g);
    emit_classes_eleves(g);
    emit_periods_teachers_elements(g);
    emit_parcours_communs(g);
    emit_bilans(g);
    if (g->opt->cycle_bilans)
        emit_bilans_cycle(g);
    fputs("  </donnees>\n</lsun-bilans>\n", g->out);
}

/* ------------------------------------------------------------------ */
/* Command line                                                        */
/* ------------------------------------------------------------------ */

/* Prints the help text. */
static void usage(FILE *f)
{
    fputs("Usage: lsu-gen [OPTIONS]\n"
          "Writes a deterministic, realistic LSU import file for an école élémentaire\n"
          "(schemaVersion 1.0, valid against the official 1.0b schema). Names,\n"
          "éléments du programme and appreciations are fictitious French content.\n"
          "\n"
          "  --classes N       number of classes, 1-2000 (default 4); levels cycle\n"
          "                    CP, CE1, CE2, CM1, CM2\n"
          "  --pupils N        pupils per class, 1-100 (default 25)\n"
          "  --periods 2|3     semestres or trimestres (default 3)\n"
          "  --seed S          unsigned 64-bit seed (default 1)\n"
          "  --uai UAI         school UAI, 8 characters (default: derived from the seed)\n"
          "  --year YYYY       first year of the school year, 1990-2099 (default 2024)\n"
          "  --cycle-bilans    add bilans de fin de cycle 2 for the CE2 pupils\n"
          "  --faults RATE     fraction 0.0-1.0 of bilans périodiques given one problem\n"
          "                    that the schema accepts but an lsu rule reports (REG001,\n"
          "                    REG007, REG008, REG009, REG010, REG011, REG012, REG016);\n"
          "                    each is preceded by <!-- lsu-gen: anomalie REGxxx ... -->\n"
          "                    (default 0)\n"
          "  -o FILE           write to FILE (atomically) instead of standard output\n"
          "  -h, --help        show this help\n"
          "\n"
          "Same arguments, same bytes, on any machine. Even without --faults a few\n"
          "pupils have modalités d'accompagnement (PPRE...), as in real exports: lsu\n"
          "reports them as REG010 alerts.\n"
          "\n"
          "Exit status: 0 written, 1 write error, 64 bad usage, 70 internal error.\n",
          f);
}

/* Parses a decimal integer in [lo, hi]; 0 on success. */
static int parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* Parses an unsigned 64-bit decimal seed; 0 on success. */
static int parse_seed(const char *s, uint64_t *out)
{
    char *end;
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

/* Parses a rate in [0, 1] (C locale: a dot as decimal separator). */
static int parse_rate(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= 0.0 && v <= 1.0))
        return -1;
    *out = v;
    return 0;
}

/* Parses the command line into o.  Returns 0 to go on, 1 when --help was
 * shown, -1 on a usage error (already reported). */
static int parse_args(int argc, char **argv, options *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 1;
        }
        if (strcmp(a, "--cycle-bilans") == 0) {
            o->cycle_bilans = 1;
            continue;
        }
        static const char *const valued[] = {"--classes", "--pupils", "--periods", "--seed",
                                             "--uai",     "--year",   "--faults",  "-o"};
        const char *name = NULL, *val = NULL;
        for (size_t k = 0; k < COUNT(valued) && !name; k++) {
            size_t n = strlen(valued[k]);
            if (strcmp(a, valued[k]) == 0) {
                name = valued[k];
                if (i + 1 >= argc) {
                    fprintf(stderr, "lsu-gen: %s needs a value\n", a);
                    return -1;
                }
                val = argv[++i];
            } else if (strncmp(a, valued[k], n) == 0 && a[n] == '=' && n > 2) {
                name = valued[k];
                val = a + n + 1;
            }
        }
        if (!name) {
            fprintf(stderr, "lsu-gen: unknown option '%s' (see lsu-gen --help)\n", a);
            return -1;
        }
        long v = 0;
        int bad = 0;
        if (strcmp(name, "--classes") == 0)
            bad = parse_long(val, 1, MAX_CLASSES, &o->classes);
        else if (strcmp(name, "--pupils") == 0)
            bad = parse_long(val, 1, MAX_PUPILS, &o->pupils);
        else if (strcmp(name, "--periods") == 0) {
            bad = parse_long(val, 2, 3, &v);
            o->periods = (int)v;
        } else if (strcmp(name, "--seed") == 0)
            bad = parse_seed(val, &o->seed);
        else if (strcmp(name, "--year") == 0) {
            bad = parse_long(val, 1990, 2099, &v);
            o->year = (int)v;
        } else if (strcmp(name, "--faults") == 0)
            bad = parse_rate(val, &o->faults);
        else if (strcmp(name, "-o") == 0)
            bad = *val ? 0 : -1;
        else { /* --uai: 8 characters, digits and capital letters */
            bad = strlen(val) != 8;
            for (const char *s = val; !bad && *s; s++)
                bad = !((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z'));
            if (!bad) {
                memcpy(o->uai, val, 9);
                o->uai_given = 1;
            }
        }
        if (strcmp(name, "-o") == 0 && !bad)
            o->output = val;
        if (bad) {
            fprintf(stderr, "lsu-gen: invalid value '%s' for %s (see lsu-gen --help)\n", val, name);
            return -1;
        }
    }
    return 0;
}

/* Opens the output: stdout, or a temporary file beside `path` whose name
 * is stored in *tmp (caller frees).  NULL on failure (reported). */
static FILE *open_output(const char *path, char **tmp)
{
    *tmp = NULL;
    if (!path || strcmp(path, "-") == 0)
        return stdout;
    size_t n = strlen(path) + 16;
    char *name = malloc(n);
    if (!name) {
        fprintf(stderr, "lsu-gen: out of memory\n");
        return NULL;
    }
    snprintf(name, n, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(name);
    if (fd < 0) {
        fprintf(stderr, "lsu-gen: %s: %s\n", path, strerror(errno));
        free(name);
        return NULL;
    }
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) {
        /* keep the restrictive mode: not worth failing for */
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        fprintf(stderr, "lsu-gen: %s: %s\n", path, strerror(errno));
        close(fd);
        unlink(name);
        free(name);
        return NULL;
    }
    *tmp = name;
    return f;
}

/* Flushes and closes the output; renames the temporary file into place or
 * removes it on error.  0 on success. */
static int close_output(FILE *f, const char *path, char *tmp)
{
    int bad = ferror(f) != 0;
    if (f == stdout) {
        bad |= fflush(stdout) != 0;
        if (bad)
            fprintf(stderr, "lsu-gen: write error: %s\n", strerror(errno));
        return bad ? -1 : 0;
    }
    bad |= fclose(f) != 0;
    if (!bad && rename(tmp, path) != 0)
        bad = 1;
    if (bad) {
        fprintf(stderr, "lsu-gen: %s: %s\n", path, strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    return bad ? -1 : 0;
}

int main(int argc, char **argv)
{
    options o;
    memset(&o, 0, sizeof o);
    o.classes = 4;
    o.pupils = 25;
    o.periods = 3;
    o.seed = 1;
    o.year = 2024;

    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc > 0 ? 0 : EXIT_USAGE;
    if (check_banks() != 0)
        return EXIT_SOFTWARE;

    gen g;
    if (gen_setup(&g, &o) != 0) {
        fprintf(stderr, "lsu-gen: out of memory\n");
        gen_free(&g);
        return EXIT_SOFTWARE;
    }
    char *tmp;
    FILE *out = open_output(o.output, &tmp);
    if (!out) {
        gen_free(&g);
        return 1;
    }
    static char buffer[1 << 16];
    setvbuf(out, buffer, _IOFBF, sizeof buffer);
    g.out = out;
    emit_document(&g);
    gen_free(&g);
    return close_output(out, o.output, tmp) == 0 ? 0 : 1;
}
