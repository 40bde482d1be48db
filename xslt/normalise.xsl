<?xml version="1.0" encoding="UTF-8"?>
<!--
  normalise.xsl: an école LSU export (schemaVersion 1.0) into lsu's normalised
  form, the one tree every later stage reads (report, PDF, store).  The form is
  documented in docs/NORMALISED.md.

  What it does:
  - every bilan is self-contained: pupil, class, period, teachers, director,
    labels of every code, the class's parcours projects next to the pupil's
    involvement, responsables;
  - texts are cleaned by lsu:text() (line breaks, blank runs, surrounding
    blanks); what it changed is reported by the C side (NRM001, NRM002);
  - éléments du programme are deduplicated by label and teachers by identity
    (lsu:ref() returns one canonical element per group, NRM003/NRM004);
  - a stable order: class, name, first name, then period (bilans périodiques)
    or cycle (bilans de cycle), with accents ignored by lsu:sortkey();
  - source line numbers (lsu:line()) and the index of each bilan in the source
    (lsu:index()) are carried along so that diagnostics point at the input.

  The extension functions are implemented in src/normalise.c.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:lsun="urn:fr:edu:scolarite:lsun:bilans:import"
    xmlns:lsu="urn:lsu:extensions"
    extension-element-prefixes="lsu"
    exclude-result-prefixes="lsun lsu">

  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>
  <xsl:strip-space elements="*"/>

  <xsl:key name="id" match="lsun:*[@id]" use="@id"/>
  <xsl:key name="parcours-commun" match="lsun:parcours-commun"
           use="concat(@periode-ref, '|', @classe-ref)"/>

  <xsl:variable name="donnees" select="/lsun:lsun-bilans/lsun:donnees"/>

  <xsl:template match="/">
    <xsl:variable name="entete" select="/lsun:lsun-bilans/lsun:entete"/>
    <lsu-normalise version="1"
        schema-version="{/lsun:lsun-bilans/@schemaVersion}"
        uai="{normalize-space($entete/lsun:etablissement)}"
        editeur="{normalize-space($entete/lsun:editeur)}"
        application="{normalize-space($entete/lsun:application)}">
      <directeurs>
        <xsl:for-each select="$donnees/lsun:directeurs/lsun:directeur">
          <directeur id="{@id}" ligne="{lsu:line(.)}">
            <xsl:call-template name="personne"/>
          </directeur>
        </xsl:for-each>
      </directeurs>
      <classes>
        <xsl:for-each select="$donnees/lsun:classes/lsun:classe">
          <xsl:sort select="lsu:sortkey(@libelle)"/>
          <xsl:sort select="@id-be" data-type="number"/>
          <xsl:call-template name="classe-attributs">
            <xsl:with-param name="classe" select="."/>
            <xsl:with-param name="element" select="'classe'"/>
          </xsl:call-template>
        </xsl:for-each>
      </classes>
      <eleves>
        <xsl:for-each select="$donnees/lsun:eleves/lsun:eleve">
          <xsl:sort select="lsu:sortkey(key('id', @classe-ref)/@libelle)"/>
          <xsl:sort select="lsu:sortkey(@nom)"/>
          <xsl:sort select="lsu:sortkey(@prenom)"/>
          <xsl:sort select="@ine"/>
          <xsl:variable name="classe" select="key('id', @classe-ref)[self::lsun:classe]"/>
          <eleve id="{@id}" ine="{@ine}" nom="{normalize-space(@nom)}" prenom="{normalize-space(@prenom)}"
                 classe-id="{$classe/@id}" classe="{normalize-space($classe/@libelle)}" ligne="{lsu:line(.)}"/>
        </xsl:for-each>
      </eleves>
      <periodes>
        <xsl:for-each select="$donnees/lsun:periodes/lsun:periode">
          <xsl:sort select="@millesime"/>
          <xsl:sort select="@nb-periodes" data-type="number"/>
          <xsl:sort select="@indice" data-type="number"/>
          <xsl:sort select="@date-debut"/>
          <periode id="{@id}" ligne="{lsu:line(.)}">
            <xsl:call-template name="periode-attributs"/>
          </periode>
        </xsl:for-each>
      </periodes>
      <enseignants>
        <xsl:for-each select="$donnees/lsun:enseignants/lsun:enseignant">
          <xsl:if test="count(lsu:ref(@id) | .) = 1">
            <enseignant id="{@id}" ligne="{lsu:line(.)}">
              <xsl:call-template name="personne"/>
            </enseignant>
          </xsl:if>
        </xsl:for-each>
      </enseignants>
      <elements-programme>
        <xsl:for-each select="$donnees/lsun:elements-programme/lsun:element-programme">
          <xsl:if test="count(lsu:ref(@id) | .) = 1">
            <element-programme id="{@id}" libelle="{lsu:text(@libelle)}" ligne="{lsu:line(.)}"/>
          </xsl:if>
        </xsl:for-each>
      </elements-programme>
      <bilans-periodiques>
        <xsl:for-each select="$donnees/lsun:bilans-periodiques/lsun:bilan-periodique">
          <xsl:sort select="lsu:sortkey(key('id', key('id', @eleve-ref)/@classe-ref)/@libelle)"/>
          <xsl:sort select="lsu:sortkey(key('id', @eleve-ref)/@nom)"/>
          <xsl:sort select="lsu:sortkey(key('id', @eleve-ref)/@prenom)"/>
          <xsl:sort select="key('id', @eleve-ref)/@ine"/>
          <xsl:sort select="key('id', @periode-ref)/@millesime"/>
          <xsl:sort select="key('id', @periode-ref)/@indice" data-type="number"/>
          <xsl:sort select="lsu:index(.)" data-type="number"/>
          <xsl:apply-templates select="."/>
        </xsl:for-each>
      </bilans-periodiques>
      <bilans-cycle>
        <xsl:for-each select="$donnees/lsun:bilans-cycle/lsun:bilan-cycle">
          <xsl:sort select="lsu:sortkey(key('id', key('id', @eleve-ref)/@classe-ref)/@libelle)"/>
          <xsl:sort select="lsu:sortkey(key('id', @eleve-ref)/@nom)"/>
          <xsl:sort select="lsu:sortkey(key('id', @eleve-ref)/@prenom)"/>
          <xsl:sort select="key('id', @eleve-ref)/@ine"/>
          <xsl:sort select="@cycle"/>
          <xsl:sort select="lsu:index(.)" data-type="number"/>
          <xsl:apply-templates select="."/>
        </xsl:for-each>
      </bilans-cycle>
    </lsu-normalise>
  </xsl:template>

  <!-- civilite, nom, prenom of a person, cleaned -->
  <xsl:template name="personne">
    <xsl:attribute name="civilite"><xsl:value-of select="@civilite"/></xsl:attribute>
    <xsl:attribute name="nom"><xsl:value-of select="normalize-space(@nom)"/></xsl:attribute>
    <xsl:attribute name="prenom"><xsl:value-of select="normalize-space(@prenom)"/></xsl:attribute>
  </xsl:template>

  <!-- a class as an element named $element: ids, label, level and cycle -->
  <xsl:template name="classe-attributs">
    <xsl:param name="classe"/>
    <xsl:param name="element"/>
    <xsl:element name="{$element}">
      <xsl:attribute name="id"><xsl:value-of select="$classe/@id"/></xsl:attribute>
      <xsl:attribute name="id-be"><xsl:value-of select="$classe/@id-be"/></xsl:attribute>
      <xsl:attribute name="libelle"><xsl:value-of select="normalize-space($classe/@libelle)"/></xsl:attribute>
      <xsl:attribute name="niveau"><xsl:value-of select="lsu:niveau($classe/@libelle)"/></xsl:attribute>
      <xsl:attribute name="cycle"><xsl:value-of select="lsu:cycle($classe/@libelle)"/></xsl:attribute>
      <xsl:attribute name="ligne"><xsl:value-of select="lsu:line($classe)"/></xsl:attribute>
    </xsl:element>
  </xsl:template>

  <!-- the attributes describing a period (context: a periode element) -->
  <xsl:template name="periode-attributs">
    <xsl:attribute name="millesime"><xsl:value-of select="@millesime"/></xsl:attribute>
    <xsl:attribute name="annee"><xsl:call-template name="annee"/></xsl:attribute>
    <xsl:attribute name="indice"><xsl:value-of select="@indice"/></xsl:attribute>
    <xsl:attribute name="nb-periodes"><xsl:value-of select="@nb-periodes"/></xsl:attribute>
    <xsl:attribute name="libelle">
      <xsl:choose>
        <xsl:when test="@nb-periodes = 3">Trimestre <xsl:value-of select="@indice"/></xsl:when>
        <xsl:when test="@nb-periodes = 2">Semestre <xsl:value-of select="@indice"/></xsl:when>
        <xsl:otherwise>Période <xsl:value-of select="@indice"/>/<xsl:value-of select="@nb-periodes"/></xsl:otherwise>
      </xsl:choose>
    </xsl:attribute>
    <xsl:attribute name="date-debut"><xsl:value-of select="@date-debut"/></xsl:attribute>
    <xsl:attribute name="date-fin"><xsl:value-of select="@date-fin"/></xsl:attribute>
  </xsl:template>

  <!-- "2024-2025" from a millesime "2024" (context node's @millesime) -->
  <xsl:template name="annee">
    <xsl:if test="string-length(@millesime) = 4 and number(@millesime) = number(@millesime)">
      <xsl:value-of select="concat(@millesime, '-', @millesime + 1)"/>
    </xsl:if>
  </xsl:template>

  <!-- pupil and class attributes shared by both kinds of bilan -->
  <xsl:template name="eleve-attributs">
    <xsl:variable name="eleve" select="key('id', @eleve-ref)[self::lsun:eleve]"/>
    <xsl:variable name="classe" select="key('id', $eleve/@classe-ref)[self::lsun:classe]"/>
    <xsl:attribute name="index"><xsl:value-of select="lsu:index(.)"/></xsl:attribute>
    <xsl:attribute name="ligne"><xsl:value-of select="lsu:line(.)"/></xsl:attribute>
    <xsl:attribute name="eleve-id"><xsl:value-of select="@eleve-ref"/></xsl:attribute>
    <xsl:attribute name="ine"><xsl:value-of select="$eleve/@ine"/></xsl:attribute>
    <xsl:attribute name="nom"><xsl:value-of select="normalize-space($eleve/@nom)"/></xsl:attribute>
    <xsl:attribute name="prenom"><xsl:value-of select="normalize-space($eleve/@prenom)"/></xsl:attribute>
    <xsl:attribute name="classe-id"><xsl:value-of select="$classe/@id"/></xsl:attribute>
    <xsl:attribute name="classe"><xsl:value-of select="normalize-space($classe/@libelle)"/></xsl:attribute>
    <xsl:attribute name="id-be"><xsl:value-of select="$classe/@id-be"/></xsl:attribute>
    <xsl:attribute name="niveau"><xsl:value-of select="lsu:niveau($classe/@libelle)"/></xsl:attribute>
    <xsl:attribute name="cycle-classe"><xsl:value-of select="lsu:cycle($classe/@libelle)"/></xsl:attribute>
  </xsl:template>

  <!-- teachers (deduplicated by identity) and director of a bilan -->
  <xsl:template name="signataires">
    <enseignants>
      <xsl:for-each select="lsu:ref(@enseignant-refs)[self::lsun:enseignant]">
        <enseignant id="{@id}"><xsl:call-template name="personne"/></enseignant>
      </xsl:for-each>
    </enseignants>
    <xsl:for-each select="key('id', @directeur-ref)[self::lsun:directeur]">
      <directeur id="{@id}"><xsl:call-template name="personne"/></directeur>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="lsun:bilan-periodique">
    <xsl:variable name="periode" select="key('id', @periode-ref)[self::lsun:periode]"/>
    <xsl:variable name="eleve" select="key('id', @eleve-ref)[self::lsun:eleve]"/>
    <bilan-periodique>
      <xsl:call-template name="eleve-attributs"/>
      <xsl:attribute name="periode-id"><xsl:value-of select="@periode-ref"/></xsl:attribute>
      <xsl:for-each select="$periode"><xsl:call-template name="periode-attributs"/></xsl:for-each>
      <xsl:attribute name="date-creation"><xsl:value-of select="@date-creation"/></xsl:attribute>
      <xsl:attribute name="date-scolarite"><xsl:value-of select="@date-scolarite"/></xsl:attribute>
      <xsl:attribute name="date-verrou"><xsl:value-of select="@date-verrou"/></xsl:attribute>
      <xsl:call-template name="signataires"/>
      <liste-acquis>
        <xsl:apply-templates select="lsun:liste-acquis/lsun:acquis"/>
      </liste-acquis>
      <xsl:call-template name="parcours">
        <xsl:with-param name="communs"
            select="key('parcours-commun', concat(@periode-ref, '|', $eleve/@classe-ref))/lsun:parcours"/>
      </xsl:call-template>
      <xsl:if test="lsun:modalites-accompagnement">
        <modalites-accompagnement ligne="{lsu:line(lsun:modalites-accompagnement)}">
          <xsl:for-each select="lsun:modalites-accompagnement/lsun:modalite-accompagnement">
            <modalite-accompagnement code="{@code}" ligne="{lsu:line(.)}">
              <xsl:attribute name="libelle"><xsl:call-template name="libelle-modalite"/></xsl:attribute>
              <xsl:for-each select="lsun:complement-ppre">
                <complement-ppre ligne="{lsu:line(.)}"><xsl:value-of select="lsu:text(.)"/></complement-ppre>
              </xsl:for-each>
            </modalite-accompagnement>
          </xsl:for-each>
        </modalites-accompagnement>
      </xsl:if>
      <xsl:for-each select="lsun:appreciation-generale">
        <appreciation-generale ligne="{lsu:line(.)}"><xsl:value-of select="lsu:text(.)"/></appreciation-generale>
      </xsl:for-each>
      <xsl:apply-templates select="lsun:socle"/>
      <xsl:apply-templates select="lsun:responsables"/>
    </bilan-periodique>
  </xsl:template>

  <xsl:template match="lsun:acquis | lsun:sous-domaine">
    <xsl:element name="{local-name()}">
      <xsl:attribute name="code"><xsl:value-of select="@code-domaine"/></xsl:attribute>
      <xsl:attribute name="libelle"><xsl:call-template name="libelle-domaine"/></xsl:attribute>
      <xsl:if test="@positionnement">
        <xsl:attribute name="positionnement"><xsl:value-of select="normalize-space(@positionnement)"/></xsl:attribute>
      </xsl:if>
      <xsl:if test="@non-evalue = 'true' or @non-evalue = '1'">
        <xsl:attribute name="non-evalue">oui</xsl:attribute>
      </xsl:if>
      <xsl:attribute name="ligne"><xsl:value-of select="lsu:line(.)"/></xsl:attribute>
      <xsl:for-each select="lsu:ref(@element-programme-refs)[self::lsun:element-programme]">
        <element-programme id="{@id}" libelle="{lsu:text(@libelle)}"/>
      </xsl:for-each>
      <xsl:for-each select="lsun:appreciation">
        <appreciation ligne="{lsu:line(.)}"><xsl:value-of select="lsu:text(.)"/></appreciation>
      </xsl:for-each>
      <xsl:apply-templates select="lsun:sous-domaines/lsun:sous-domaine"/>
    </xsl:element>
  </xsl:template>

  <!-- the three parcours in a fixed order: class project and pupil's part -->
  <xsl:template name="parcours">
    <xsl:param name="communs"/>
    <xsl:variable name="eleve" select="lsun:liste-parcours/lsun:parcours"/>
    <liste-parcours>
      <xsl:for-each select="$communs | $eleve">
        <xsl:sort select="translate(@code, 'CITARSN', '1234567')"/>
        <xsl:variable name="code" select="@code"/>
        <!-- one entry per code: emit it at its first node in this sorted union -->
        <xsl:if test="generate-id(.) = generate-id(($communs[@code = $code] | $eleve[@code = $code])[1])">
          <parcours code="{$code}" ligne="{lsu:line(.)}">
            <xsl:attribute name="libelle"><xsl:call-template name="libelle-parcours"/></xsl:attribute>
            <xsl:for-each select="$communs[@code = $code][1]">
              <projet ligne="{lsu:line(.)}"><xsl:value-of select="lsu:text(.)"/></projet>
            </xsl:for-each>
            <xsl:for-each select="$eleve[@code = $code][1]">
              <implication ligne="{lsu:line(.)}"><xsl:value-of select="lsu:text(.)"/></implication>
            </xsl:for-each>
          </parcours>
        </xsl:if>
      </xsl:for-each>
    </liste-parcours>
  </xsl:template>

  <xsl:template match="lsun:socle">
    <socle ligne="{lsu:line(.)}">
      <xsl:for-each select="lsun:domaine">
        <domaine code="{@code}" ligne="{lsu:line(.)}">
          <xsl:attribute name="libelle"><xsl:call-template name="libelle-socle"/></xsl:attribute>
          <xsl:if test="@positionnement">
            <xsl:attribute name="positionnement"><xsl:value-of select="normalize-space(@positionnement)"/></xsl:attribute>
          </xsl:if>
        </domaine>
      </xsl:for-each>
    </socle>
  </xsl:template>

  <xsl:template match="lsun:responsables">
    <responsables>
      <xsl:for-each select="lsun:responsable">
        <responsable ligne="{lsu:line(.)}">
          <xsl:call-template name="personne"/>
          <xsl:if test="@lien-parente">
            <xsl:attribute name="lien-parente"><xsl:value-of select="normalize-space(@lien-parente)"/></xsl:attribute>
          </xsl:if>
          <xsl:for-each select="lsun:adresse">
            <adresse>
              <xsl:for-each select="@ligne1 | @ligne2 | @ligne3 | @ligne4 | @code-postal | @commune">
                <xsl:attribute name="{local-name()}"><xsl:value-of select="normalize-space(.)"/></xsl:attribute>
              </xsl:for-each>
            </adresse>
          </xsl:for-each>
        </responsable>
      </xsl:for-each>
    </responsables>
  </xsl:template>

  <xsl:template match="lsun:bilan-cycle">
    <bilan-cycle>
      <xsl:call-template name="eleve-attributs"/>
      <xsl:attribute name="cycle"><xsl:value-of select="@cycle"/></xsl:attribute>
      <xsl:attribute name="millesime"><xsl:value-of select="@millesime"/></xsl:attribute>
      <xsl:attribute name="annee"><xsl:call-template name="annee"/></xsl:attribute>
      <xsl:attribute name="date-creation"><xsl:value-of select="@date-creation"/></xsl:attribute>
      <xsl:attribute name="date-verrou"><xsl:value-of select="@date-verrou"/></xsl:attribute>
      <xsl:call-template name="signataires"/>
      <xsl:apply-templates select="lsun:socle"/>
      <xsl:for-each select="lsun:synthese">
        <synthese ligne="{lsu:line(.)}"><xsl:value-of select="lsu:text(.)"/></synthese>
      </xsl:for-each>
      <xsl:apply-templates select="lsun:responsables"/>
    </bilan-cycle>
  </xsl:template>

  <!-- Labels of the codes (FORMAT.md §3, LSU nomenclature). An unknown code
       keeps an empty label; the check stage reports it. -->
  <xsl:template name="libelle-domaine">
    <xsl:choose>
      <xsl:when test="@code-domaine = 'FRA-RAC'">Français</xsl:when>
      <xsl:when test="@code-domaine = 'FRA-LGO'">Langage oral</xsl:when>
      <xsl:when test="@code-domaine = 'FRA-LEC'">Lecture et compréhension de l'écrit</xsl:when>
      <xsl:when test="@code-domaine = 'FRA-ECR'">Écriture</xsl:when>
      <xsl:when test="@code-domaine = 'FRA-ETL'">Étude de la langue (grammaire, orthographe, lexique)</xsl:when>
      <xsl:when test="@code-domaine = 'MAT-RAC'">Mathématiques</xsl:when>
      <xsl:when test="@code-domaine = 'MAT-NBC'">Nombres et calcul</xsl:when>
      <xsl:when test="@code-domaine = 'MAT-GDM'">Grandeurs et mesures</xsl:when>
      <xsl:when test="@code-domaine = 'MAT-GEO'">Espace et géométrie</xsl:when>
      <xsl:when test="@code-domaine = 'EPS-RAC'">Éducation physique et sportive</xsl:when>
      <xsl:when test="@code-domaine = 'ART-RAC'">Enseignements artistiques</xsl:when>
      <xsl:when test="@code-domaine = 'ART-PLA'">Arts plastiques</xsl:when>
      <xsl:when test="@code-domaine = 'ART-MUS'">Éducation musicale</xsl:when>
      <xsl:when test="@code-domaine = 'ART-HAR'">Histoire des arts</xsl:when>
      <xsl:when test="@code-domaine = 'QLM-RAC'">Questionner le monde</xsl:when>
      <xsl:when test="@code-domaine = 'QLM-VMO'">Questionner le monde du vivant, de la matière et des objets</xsl:when>
      <xsl:when test="@code-domaine = 'QLM-ETP'">Questionner l'espace et le temps</xsl:when>
      <xsl:when test="@code-domaine = 'STC-RAC'">Sciences et technologie</xsl:when>
      <xsl:when test="@code-domaine = 'HIG-RAC'">Histoire et géographie</xsl:when>
      <xsl:when test="@code-domaine = 'EMC-RAC'">Enseignement moral et civique</xsl:when>
      <xsl:when test="@code-domaine = 'LGV-RAC'">Langues vivantes</xsl:when>
      <xsl:when test="@code-domaine = 'LGV-CPD'">Comprendre l'oral</xsl:when>
      <xsl:when test="@code-domaine = 'LGV-EXP'">S'exprimer oralement en continu</xsl:when>
      <xsl:when test="@code-domaine = 'LGV-CVS'">Prendre part à une conversation</xsl:when>
      <xsl:when test="@code-domaine = 'LGV-DE1'">Découvrir quelques aspects culturels d'une langue vivante étrangère et régionale</xsl:when>
      <xsl:when test="@code-domaine = 'LGV-ECO'">Écouter et comprendre</xsl:when>
      <xsl:when test="@code-domaine = 'LGV-LIR'">Lire et comprendre</xsl:when>
      <xsl:when test="@code-domaine = 'LGV-PAR'">Parler en continu</xsl:when>
      <xsl:when test="@code-domaine = 'LGV-ECR'">Écrire</xsl:when>
      <xsl:when test="@code-domaine = 'LGV-DIA'">Réagir et dialoguer</xsl:when>
      <xsl:when test="@code-domaine = 'LGV-DE2'">Découvrir les aspects culturels d'une langue vivante étrangère et régionale</xsl:when>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="libelle-parcours">
    <xsl:choose>
      <xsl:when test="@code = 'PAR_CIT'">Parcours citoyen</xsl:when>
      <xsl:when test="@code = 'PAR_ART'">Parcours d'éducation artistique et culturelle</xsl:when>
      <xsl:when test="@code = 'PAR_SAN'">Parcours éducatif de santé</xsl:when>
      <xsl:when test="@code = 'PAR_AVN'">Parcours avenir</xsl:when>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="libelle-modalite">
    <xsl:choose>
      <xsl:when test="@code = 'PAP'">Plan d'accompagnement personnalisé</xsl:when>
      <xsl:when test="@code = 'PPS'">Projet personnalisé de scolarisation</xsl:when>
      <xsl:when test="@code = 'UPE2A'">Unité pédagogique pour élèves allophones arrivants</xsl:when>
      <xsl:when test="@code = 'RASED'">Réseau d'aides spécialisées aux élèves en difficulté</xsl:when>
      <xsl:when test="@code = 'ULIS'">Unité localisée pour l'inclusion scolaire</xsl:when>
      <xsl:when test="@code = 'PAI'">Projet d'accueil individualisé</xsl:when>
      <xsl:when test="@code = 'PPRE'">Programme personnalisé de réussite éducative</xsl:when>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="libelle-socle">
    <xsl:choose>
      <xsl:when test="@code = 'CPD_FRA'">Comprendre, s'exprimer en utilisant la langue française à l'oral et à l'écrit</xsl:when>
      <xsl:when test="@code = 'CPD_ETR'">Comprendre, s'exprimer en utilisant une langue étrangère et, le cas échéant, une langue régionale</xsl:when>
      <xsl:when test="@code = 'CPD_SCI'">Comprendre, s'exprimer en utilisant les langages mathématiques, scientifiques et informatiques</xsl:when>
      <xsl:when test="@code = 'CPD_ART'">Comprendre, s'exprimer en utilisant les langages des arts et du corps</xsl:when>
      <xsl:when test="@code = 'MET_APP'">Les méthodes et outils pour apprendre</xsl:when>
      <xsl:when test="@code = 'FRM_CIT'">La formation de la personne et du citoyen</xsl:when>
      <xsl:when test="@code = 'SYS_NAT'">Les systèmes naturels et les systèmes techniques</xsl:when>
      <xsl:when test="@code = 'REP_MND'">Les représentations du monde et l'activité humaine</xsl:when>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
