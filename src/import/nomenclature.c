/* Code tables of the école format (see nomenclature.h). */
#include "import/nomenclature.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define C2 LSU_CYCLE_BIT(2)
#define C3 LSU_CYCLE_BIT(3)

static const lsu_domain domains[] = {
    {"FRA-RAC", "Français", NULL, C2 | C3, 0},
    {"FRA-LGO", "Langage oral", "FRA-RAC", C2 | C3, 0},
    {"FRA-LEC", "Lecture et compréhension de l'écrit", "FRA-RAC", C2 | C3, 0},
    {"FRA-ECR", "Écriture", "FRA-RAC", C2 | C3, 0},
    {"FRA-ETL", "Étude de la langue (grammaire, orthographe, lexique)", "FRA-RAC", C2 | C3, 0},
    {"MAT-RAC", "Mathématiques", NULL, C2 | C3, 0},
    {"MAT-NBC", "Nombres et calcul", "MAT-RAC", C2 | C3, 0},
    {"MAT-GDM", "Grandeurs et mesures", "MAT-RAC", C2 | C3, 0},
    {"MAT-GEO", "Espace et géométrie", "MAT-RAC", C2 | C3, 0},
    {"EPS-RAC", "Éducation physique et sportive", NULL, C2 | C3, 0},
    {"ART-RAC", "Enseignements artistiques", NULL, C2 | C3, 0},
    {"ART-PLA", "Arts plastiques", "ART-RAC", C2 | C3, 0},
    {"ART-MUS", "Éducation musicale", "ART-RAC", C2 | C3, 0},
    {"ART-HAR", "Histoire des arts", "ART-RAC", C3, 0},
    {"QLM-RAC", "Questionner le monde", NULL, C2, 0},
    {"QLM-VMO", "Questionner le monde du vivant, de la matière et des objets", "QLM-RAC", C2, 0},
    {"QLM-ETP", "Questionner l'espace et le temps", "QLM-RAC", C2, 0},
    {"STC-RAC", "Sciences et technologie", NULL, C3, 0},
    {"HIG-RAC", "Histoire et géographie", NULL, C3, 0},
    {"EMC-RAC", "Enseignement moral et civique", NULL, C2 | C3, 0},
    {"LGV-RAC", "Langues vivantes", NULL, C2 | C3, 0},
    /* sub-domains of languages used before 2017, still found in old files */
    {"LGV-CPD", "Comprendre l'oral", "LGV-RAC", C2 | C3, 1},
    {"LGV-EXP", "S'exprimer oralement en continu", "LGV-RAC", C2 | C3, 1},
    {"LGV-CVS", "Prendre part à une conversation", "LGV-RAC", C2 | C3, 1},
    {"LGV-DE1", "Découvrir quelques aspects culturels d'une langue vivante étrangère et régionale", "LGV-RAC", C2 | C3,
     1},
    {"LGV-ECO", "Écouter et comprendre", "LGV-RAC", C2 | C3, 1},
    {"LGV-LIR", "Lire et comprendre", "LGV-RAC", C2 | C3, 1},
    {"LGV-PAR", "Parler en continu", "LGV-RAC", C2 | C3, 1},
    {"LGV-ECR", "Écrire", "LGV-RAC", C2 | C3, 1},
    {"LGV-DIA", "Réagir et dialoguer", "LGV-RAC", C2 | C3, 1},
    {"LGV-DE2", "Découvrir les aspects culturels d'une langue vivante étrangère et régionale", "LGV-RAC", C2 | C3, 1},
};

typedef struct {
    const char *code, *label;
} code_label;

static const code_label parcours[] = {
    {"PAR_CIT", "Parcours citoyen"},
    {"PAR_ART", "Parcours d'éducation artistique et culturelle"},
    {"PAR_SAN", "Parcours éducatif de santé"},
    {"PAR_AVN", "Parcours avenir"},
    {NULL, NULL},
};

static const code_label modalites[] = {
    {"PAP", "Plan d'accompagnement personnalisé"},
    {"PPS", "Projet personnalisé de scolarisation"},
    {"UPE2A", "Unité pédagogique pour élèves allophones arrivants"},
    {"RASED", "Réseau d'aides spécialisées aux élèves en difficulté"},
    {"ULIS", "Unité localisée pour l'inclusion scolaire"},
    {"PAI", "Projet d'accueil individualisé"},
    {"PPRE", "Programme personnalisé de réussite éducative"},
    {NULL, NULL},
};

static const code_label socle[] = {
    {"CPD_FRA", "Comprendre, s'exprimer en utilisant la langue française à l'oral et à l'écrit"},
    {"CPD_ETR", "Comprendre, s'exprimer en utilisant une langue étrangère et, le cas échéant, une langue régionale"},
    {"CPD_SCI", "Comprendre, s'exprimer en utilisant les langages mathématiques, scientifiques et informatiques"},
    {"CPD_ART", "Comprendre, s'exprimer en utilisant les langages des arts et du corps"},
    {"MET_APP", "Les méthodes et outils pour apprendre"},
    {"FRM_CIT", "La formation de la personne et du citoyen"},
    {"SYS_NAT", "Les systèmes naturels et les systèmes techniques"},
    {"REP_MND", "Les représentations du monde et l'activité humaine"},
    {NULL, NULL},
};

/* See nomenclature.h. */
const lsu_domain *lsu_domain_find(const char *code)
{
    for (size_t i = 0; code && i < sizeof domains / sizeof *domains; i++)
        if (strcmp(domains[i].code, code) == 0)
            return &domains[i];
    return NULL;
}

/* See nomenclature.h. */
const lsu_domain *lsu_domain_at(size_t i)
{
    return i < sizeof domains / sizeof *domains ? &domains[i] : NULL;
}

/* Looks a code up in a NULL-terminated table. */
static const char *table_label(const code_label *t, const char *code)
{
    for (; t->code; t++)
        if (strcmp(t->code, code) == 0)
            return t->label;
    return "";
}

/* See nomenclature.h. */
const char *lsu_code_label(const char *kind, const char *code)
{
    if (!kind || !code)
        return "";
    if (strcmp(kind, "domaine") == 0) {
        const lsu_domain *d = lsu_domain_find(code);
        return d ? d->label : "";
    }
    if (strcmp(kind, "parcours") == 0)
        return table_label(parcours, code);
    if (strcmp(kind, "modalite") == 0)
        return table_label(modalites, code);
    if (strcmp(kind, "socle") == 0)
        return table_label(socle, code);
    return "";
}

/* See nomenclature.h. */
int lsu_uai_valid(const char *uai)
{
    if (!uai || strlen(uai) != 8)
        return 0;
    for (int i = 0; i < 7; i++)
        if (uai[i] < '0' || uai[i] > '9')
            return 0;
    return (uai[7] >= 'A' && uai[7] <= 'Z') || (uai[7] >= 'a' && uai[7] <= 'z');
}

/* See nomenclature.h: the remainder of the seven digits by 23, as a letter
 * of ABCDEFGHJKLMNPRSTUVWXYZ (no I, O, Q). */
char lsu_uai_key(const char *uai)
{
    static const char letters[] = "ABCDEFGHJKLMNPRSTUVWXYZ";
    long n = 0;
    for (int i = 0; i < 7; i++) {
        if (!uai || uai[i] < '0' || uai[i] > '9')
            return 0;
        n = n * 10 + (uai[i] - '0');
    }
    return letters[n % 23];
}

static const char *const level_names[] = {"CP", "CE1", "CE2", "CM1", "CM2"};

/* See nomenclature.h. */
unsigned lsu_class_levels(const char *label)
{
    unsigned set = 0;
    if (!label)
        return 0;
    for (const char *p = label; *p; p++) {
        if (p != label && ((p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= 'a' && p[-1] <= 'z')))
            continue;
        for (int i = 0; i < 5; i++) {
            size_t n = strlen(level_names[i]);
            if (strncasecmp(p, level_names[i], n) == 0) {
                char next = p[n];
                int alnum_after = (next >= '0' && next <= '9') || (next >= 'a' && next <= 'z') ||
                                  (i > 0 && next >= 'A' && next <= 'Z');
                if (!alnum_after)
                    set |= 1u << i;
            }
        }
    }
    return set;
}

/* See nomenclature.h. */
const char *lsu_class_level(const char *label)
{
    unsigned set = lsu_class_levels(label);
    for (int i = 0; i < 5; i++)
        if (set == 1u << i)
            return level_names[i];
    return "";
}

/* See nomenclature.h. */
const char *lsu_class_cycle(const char *label)
{
    unsigned set = lsu_class_levels(label);
    if (!set)
        return "";
    if ((set & ~7u) == 0)
        return "2";
    if ((set & 7u) == 0)
        return "3";
    return "";
}

/* See nomenclature.h. */
int lsu_ine_valid(const char *ine)
{
    if (!ine || strlen(ine) != 11)
        return 0;
    int all_same = 1;
    for (int i = 0; i < 11; i++) {
        unsigned char c = (unsigned char)ine[i];
        if (!isdigit(c) && !(c >= 'A' && c <= 'Z'))
            return 0;
        if (ine[i] != ine[0])
            all_same = 0;
    }
    return !all_same;
}
