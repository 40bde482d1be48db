<?xml version="1.0" encoding="UTF-8"?>
<!--
  normalise.xsl: an école LSU export (schemaVersion 1.0) into lsu's normalised
  form, the one tree every later stage reads (report, PDF, store).  The form is
  documented in docs/NORMALISED.md.

  What it does:
  - every bilan is self-contained: pupil, class, period, teachers, director,
    labels of every code (lsu:libelle(), from src/codes.c), the class's
    parcours projects next to the pupil's involvement, responsables;
  - texts are cleaned by lsu:text() (line breaks, blank runs, surrounding
    blanks); what it changed is reported by the C side (NRM001, NRM002);
  - éléments du programme are deduplicated by label and teachers by identity
    (lsu:ref() returns one canonical element per group, NRM003/NRM004);
  - a stable order: class, name, first name, then period (bilans périodiques)
    or cycle (bilans de cycle), with accents ignored by lsu:sortkey();
  - source line numbers (lsu:line()) and the index of each bilan in the source
    (lsu:index()) are carried along so that diagnostics point at the input.

  The extension functions are implemented in src/normalise.c.  Literal
  result elements with attribute value templates are used throughout: they
  cost far less in libxslt than xsl:element / xsl:attribute.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:lsun="urn:fr:edu:scolarite:lsun:bilans:import"
    xmlns:lsu="urn:lsu:extensions"
    extension-element-prefixes="lsu"
    exclude-result-prefixes="lsun lsu">

  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:key name="id" match="lsun:*[@id]" use="@id"/>

  <xsl:variable name="donnees" select="/lsun:lsun-bilans/lsun:donnees"/>

  <xsl:template match="/">
    <xsl:variable name="entete" select="/lsun:lsun-bilans/lsun:entete"/>
    <lsu-normalise version="2"
        schema-version="{/lsun:lsun-bilans/@schemaVersion}"
        uai="{normalize-space($entete/lsun:etablissement)}"
        editeur="{normalize-space($entete/lsun:editeur)}"
        application="{normalize-space($entete/lsun:application)}">
      <directeurs>
        <xsl:for-each select="$donnees/lsun:directeurs/lsun:directeur">
          <directeur id="{@id}" ligne="{lsu:line(.)}" civilite="{@civilite}"
                     nom="{normalize-space(@nom)}" prenom="{normalize-space(@prenom)}"/>
        </xsl:for-each>
      </directeurs>
      <classes>
        <xsl:for-each select="$donnees/lsun:classes/lsun:classe">
          <xsl:sort select="lsu:sortkey(@libelle)"/>
          <xsl:sort select="@id-be" data-type="number"/>
          <classe id="{@id}" id-be="{@id-be}" libelle="{normalize-space(@libelle)}"
                  niveau="{lsu:niveau(@libelle)}" cycle="{lsu:cycle(@libelle)}" ligne="{lsu:line(.)}"/>
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
          <periode id="{@id}" ligne="{lsu:line(.)}" millesime="{@millesime}" annee="{lsu:annee(@millesime)}"
                   indice="{@indice}" nb-periodes="{@nb-periodes}"
                   libelle="{lsu:periode(@indice, @nb-periodes)}"
                   date-debut="{@date-debut}" date-fin="{@date-fin}"/>
        </xsl:for-each>
      </periodes>
      <enseignants>
        <xsl:for-each select="$donnees/lsun:enseignants/lsun:enseignant">
          <xsl:if test="count(lsu:ref(@id) | .) = 1">
            <enseignant id="{@id}" ligne="{lsu:line(.)}" civilite="{@civilite}"
                        nom="{normalize-space(@nom)}" prenom="{normalize-space(@prenom)}"/>
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
          <!-- class, name, first name, INE, year, period, place in the file:
               ranked once in C (lsu:rang), sorted here as numbers -->
          <xsl:sort select="lsu:rang(.)" data-type="number"/>
          <xsl:apply-templates select="."/>
        </xsl:for-each>
      </bilans-periodiques>
      <bilans-cycle>
        <xsl:for-each select="$donnees/lsun:bilans-cycle/lsun:bilan-cycle">
          <!-- class, name, first name, INE, cycle, place in the file (lsu:rang) -->
          <xsl:sort select="lsu:rang(.)" data-type="number"/>
          <xsl:apply-templates select="."/>
        </xsl:for-each>
      </bilans-cycle>
    </lsu-normalise>
  </xsl:template>

  <!-- teachers (deduplicated by identity) and director of a bilan -->
  <xsl:template name="signataires">
    <enseignants>
      <xsl:for-each select="lsu:ref(@enseignant-refs)[self::lsun:enseignant]">
        <enseignant id="{@id}" civilite="{@civilite}" nom="{normalize-space(@nom)}"
                    prenom="{normalize-space(@prenom)}"/>
      </xsl:for-each>
    </enseignants>
    <xsl:for-each select="key('id', @directeur-ref)[self::lsun:directeur]">
      <directeur id="{@id}" civilite="{@civilite}" nom="{normalize-space(@nom)}"
                 prenom="{normalize-space(@prenom)}"/>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="lsun:bilan-periodique">
    <xsl:variable name="eleve" select="key('id', @eleve-ref)[self::lsun:eleve]"/>
    <xsl:variable name="classe" select="key('id', $eleve/@classe-ref)[self::lsun:classe]"/>
    <xsl:variable name="periode" select="key('id', @periode-ref)[self::lsun:periode]"/>
    <bilan-periodique index="{lsu:index(.)}" ligne="{lsu:line(.)}" eleve-id="{@eleve-ref}"
        ine="{$eleve/@ine}" nom="{normalize-space($eleve/@nom)}" prenom="{normalize-space($eleve/@prenom)}"
        classe-id="{$classe/@id}" classe="{normalize-space($classe/@libelle)}" id-be="{$classe/@id-be}"
        niveau="{lsu:niveau($classe/@libelle)}" cycle-classe="{lsu:cycle($classe/@libelle)}"
        periode-id="{@periode-ref}" millesime="{$periode/@millesime}" annee="{lsu:annee($periode/@millesime)}"
        indice="{$periode/@indice}" nb-periodes="{$periode/@nb-periodes}"
        libelle="{lsu:periode($periode/@indice, $periode/@nb-periodes)}"
        date-debut="{$periode/@date-debut}" date-fin="{$periode/@date-fin}"
        date-creation="{@date-creation}" date-scolarite="{@date-scolarite}" date-verrou="{@date-verrou}">
      <xsl:call-template name="signataires"/>
      <!-- domains, sub-domains and éléments: written in C (src/normalise.c) -->
      <lsu:liste-acquis/>
      <!-- the class project next to the pupil's involvement: written in C -->
      <lsu:liste-parcours/>
      <xsl:for-each select="lsun:modalites-accompagnement">
        <modalites-accompagnement ligne="{lsu:line(.)}">
          <xsl:for-each select="lsun:modalite-accompagnement">
            <modalite-accompagnement code="{@code}" libelle="{lsu:libelle('modalite', @code)}" ligne="{lsu:line(.)}">
              <xsl:for-each select="lsun:complement-ppre">
                <complement-ppre ligne="{lsu:line(.)}"><xsl:value-of select="lsu:text(.)"/></complement-ppre>
              </xsl:for-each>
            </modalite-accompagnement>
          </xsl:for-each>
        </modalites-accompagnement>
      </xsl:for-each>
      <xsl:for-each select="lsun:appreciation-generale">
        <appreciation-generale ligne="{lsu:line(.)}"><xsl:value-of select="lsu:text(.)"/></appreciation-generale>
      </xsl:for-each>
      <xsl:apply-templates select="lsun:socle"/>
      <lsu:responsables/>
      <!-- the source bilan's children are read no more: freed (src/normalise.c) -->
      <lsu:free-source/>
    </bilan-periodique>
  </xsl:template>

  <xsl:template match="lsun:socle">
    <socle ligne="{lsu:line(.)}">
      <xsl:for-each select="lsun:domaine">
        <domaine code="{@code}" libelle="{lsu:libelle('socle', @code)}" ligne="{lsu:line(.)}">
          <xsl:if test="@positionnement">
            <xsl:attribute name="positionnement"><xsl:value-of select="normalize-space(@positionnement)"/></xsl:attribute>
          </xsl:if>
        </domaine>
      </xsl:for-each>
    </socle>
  </xsl:template>

  <xsl:template match="lsun:bilan-cycle">
    <xsl:variable name="eleve" select="key('id', @eleve-ref)[self::lsun:eleve]"/>
    <xsl:variable name="classe" select="key('id', $eleve/@classe-ref)[self::lsun:classe]"/>
    <bilan-cycle index="{lsu:index(.)}" ligne="{lsu:line(.)}" eleve-id="{@eleve-ref}"
        ine="{$eleve/@ine}" nom="{normalize-space($eleve/@nom)}" prenom="{normalize-space($eleve/@prenom)}"
        classe-id="{$classe/@id}" classe="{normalize-space($classe/@libelle)}" id-be="{$classe/@id-be}"
        niveau="{lsu:niveau($classe/@libelle)}" cycle-classe="{lsu:cycle($classe/@libelle)}"
        cycle="{@cycle}" millesime="{@millesime}" annee="{lsu:annee(@millesime)}"
        date-creation="{@date-creation}" date-verrou="{@date-verrou}">
      <xsl:call-template name="signataires"/>
      <xsl:apply-templates select="lsun:socle"/>
      <xsl:for-each select="lsun:synthese">
        <synthese ligne="{lsu:line(.)}"><xsl:value-of select="lsu:text(.)"/></synthese>
      </xsl:for-each>
      <lsu:responsables/>
      <lsu:free-source/>
    </bilan-cycle>
  </xsl:template>

</xsl:stylesheet>
