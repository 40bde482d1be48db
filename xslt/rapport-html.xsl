<?xml version="1.0" encoding="UTF-8"?>
<!--
  rapport-html.xsl : lsu's report XML  ->  one self-contained HTML5 page.

  The page is the "rapport d'exécution" LSU shows after an import
  (Bilans > Import > Rapport d'exécution): the file imported, the class(es)
  concerned, the counters Traités / Importés (avec succès, avec alerte(s)) /
  Rejetés, then per category (bilans périodiques, bilans de fin de cycle,
  fichier) the expandable lists of rejections, alerts and informations, with
  a filter box.

  Constraints kept here:
  - no external resource (no CDN, font, image): inline CSS and a small inline
    script; every list is a <details> so the page reads fully without JS;
  - deterministic: ids come from positions in the input, never generate-id();
  - every value of the input is written as text (XSLT escapes it), never
    pasted into the script or the style;
  - XSLT 1.0 only (libxslt 1.1.35), no extension.

  Input model: see the <rapport> example in docs or in tests/data/.
  Attributes may be absent or empty; the page then leaves the part out.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:output method="html" encoding="UTF-8" indent="no"
              doctype-system="about:legacy-compat"/>

  <xsl:variable name="R" select="/rapport"/>
  <xsl:variable name="tous-diags" select="$R/diagnostics/diagnostic"/>
  <xsl:variable name="tous-bilans" select="$R/bilans/bilan"/>
  <!-- The page lists at most the first 2 000 diagnostics of each list and
       the first 5 000 bilans (src/report/report.c): the exact sizes come
       from <listes> and the n-* attributes of <bilans>, counted from the
       nodes when absent. -->
  <xsl:variable name="L" select="$R/listes/liste"/>
  <xsl:variable name="n-bilans">
    <xsl:call-template name="nombre">
      <xsl:with-param name="v" select="$R/bilans/@total"/>
      <xsl:with-param name="defaut" select="count($tous-bilans)"/>
    </xsl:call-template>
  </xsl:variable>
  <xsl:variable name="n-periodiques">
    <xsl:call-template name="n-bilans"><xsl:with-param name="type" select="'periodique'"/></xsl:call-template>
  </xsl:variable>
  <xsl:variable name="n-cycles">
    <xsl:call-template name="n-bilans"><xsl:with-param name="type" select="'cycle'"/></xsl:call-template>
  </xsl:variable>

  <!-- Which section a diagnostic goes to.  portee="bilan" or "eleve": the
       section of its type-bilan; when the type is unknown ("in doubt"), the
       bilans périodiques, unless the file holds only bilans de fin de cycle.
       Anything else concerns the file. -->
  <xsl:variable name="doute-vers-cycle" select="number($n-periodiques) = 0 and number($n-cycles) &gt; 0"/>
  <xsl:variable name="diags-bilans"
                select="$tous-diags[@portee='bilan' or @portee='eleve']"/>
  <xsl:variable name="diags-periodiques"
                select="$diags-bilans[@type-bilan='periodique'
                        or (not($doute-vers-cycle) and not(@type-bilan='periodique' or @type-bilan='cycle'))]"/>
  <xsl:variable name="diags-cycle"
                select="$diags-bilans[@type-bilan='cycle'
                        or ($doute-vers-cycle and not(@type-bilan='periodique' or @type-bilan='cycle'))]"/>
  <xsl:variable name="diags-fichier"
                select="$tous-diags[not(@portee='bilan' or @portee='eleve')]"/>

  <xsl:variable name="n-rejets">
    <xsl:choose>
      <xsl:when test="$R/listes"><xsl:value-of select="sum($L[@sev='rejet']/@total)"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="count($tous-diags[@severite='fatal' or @severite='bloquant'])"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="n-alertes">
    <xsl:choose>
      <xsl:when test="$R/listes"><xsl:value-of select="sum($L[@sev='alerte']/@total)"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="count($tous-diags[@severite='alerte'])"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="n-infos">
    <xsl:choose>
      <xsl:when test="$R/listes"><xsl:value-of select="sum($L[@sev='info']/@total)"/></xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="count($tous-diags[not(@severite='fatal' or @severite='bloquant' or @severite='alerte')])"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <!-- Counters: the report's own, or counted from the bilans when absent. -->
  <xsl:variable name="c" select="$R/compteurs"/>
  <xsl:variable name="traites">
    <xsl:call-template name="nombre">
      <xsl:with-param name="v" select="$c/@traites"/>
      <xsl:with-param name="defaut" select="count($tous-bilans)"/>
    </xsl:call-template>
  </xsl:variable>
  <xsl:variable name="avec-succes">
    <xsl:call-template name="nombre">
      <xsl:with-param name="v" select="$c/@avec-succes"/>
      <xsl:with-param name="defaut" select="count($tous-bilans[@statut='importe'])"/>
    </xsl:call-template>
  </xsl:variable>
  <xsl:variable name="avec-alertes">
    <xsl:call-template name="nombre">
      <xsl:with-param name="v" select="$c/@avec-alertes"/>
      <xsl:with-param name="defaut" select="count($tous-bilans[@statut='importe_avec_alertes'])"/>
    </xsl:call-template>
  </xsl:variable>
  <xsl:variable name="importes">
    <xsl:call-template name="nombre">
      <xsl:with-param name="v" select="$c/@importes"/>
      <xsl:with-param name="defaut" select="$avec-succes + $avec-alertes"/>
    </xsl:call-template>
  </xsl:variable>
  <xsl:variable name="rejetes">
    <xsl:call-template name="nombre">
      <xsl:with-param name="v" select="$c/@rejetes"/>
      <xsl:with-param name="defaut" select="count($tous-bilans[@statut='rejete'])"/>
    </xsl:call-template>
  </xsl:variable>

  <xsl:variable name="fichier-rejete" select="$R/verdict/@fichier-rejete='oui'"/>
  <xsl:variable name="conforme"
                select="not($fichier-rejete)
                        and ($R/verdict/@code='conforme'
                             or (not($R/verdict/@code) and number($rejetes)=0 and number($n-rejets)=0))"/>

  <xsl:variable name="outil">
    <xsl:choose>
      <xsl:when test="normalize-space($R/@outil)!=''"><xsl:value-of select="normalize-space($R/@outil)"/></xsl:when>
      <xsl:otherwise>lsu</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="outil-version">
    <xsl:value-of select="$outil"/>
    <xsl:if test="normalize-space($R/@version)!=''">
      <xsl:text> </xsl:text>
      <xsl:value-of select="normalize-space($R/@version)"/>
    </xsl:if>
  </xsl:variable>

  <!-- ================================================================ -->
  <!-- Page                                                              -->
  <!-- ================================================================ -->

  <xsl:template match="/">
    <html lang="fr">
      <head>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="{$outil-version}"/>
        <title>
          <xsl:text>Rapport d’exécution</xsl:text>
          <xsl:if test="normalize-space($R/fichier/@nom)!=''">
            <xsl:text> – </xsl:text>
            <xsl:value-of select="$R/fichier/@nom"/>
          </xsl:if>
          <xsl:text> – Livret scolaire unique</xsl:text>
        </title>
        <style>
          <xsl:call-template name="css"/>
        </style>
      </head>
      <body>
        <a class="evitement" href="#contenu">Aller au contenu</a>
        <header class="entete">
          <div class="conteneur entete-in">
            <p class="marque">
              <span class="marque-drapeau" aria-hidden="true"><span></span><span></span><span></span></span>
              <span class="marque-texte">
                <span class="marque-titre">Livret scolaire unique</span>
                <span class="marque-sous">Import des bilans · École élémentaire</span>
              </span>
            </p>
            <p class="entete-outil"><xsl:value-of select="$outil-version"/></p>
          </div>
        </header>

        <main id="contenu" class="conteneur">
          <nav class="ariane" aria-label="Vous êtes ici">
            <ol>
              <li>Bilans</li>
              <li>Import</li>
              <li aria-current="page">Rapport d’exécution</li>
            </ol>
          </nav>

          <h1>Rapport d’exécution</h1>
          <xsl:apply-templates select="$R/fichier"/>
          <xsl:call-template name="classes"/>
          <xsl:call-template name="verdict"/>
          <xsl:call-template name="si-corrige"/>
          <xsl:call-template name="compteurs"/>
          <xsl:apply-templates select="$R/que-faire[code]"/>
          <xsl:call-template name="filtre"/>

          <xsl:if test="number($n-periodiques) &gt; 0 or $diags-periodiques">
            <xsl:call-template name="section">
              <xsl:with-param name="id" select="'bilans-periodiques'"/>
              <xsl:with-param name="titre" select="'Bilans périodiques'"/>
              <xsl:with-param name="type" select="'periodique'"/>
              <xsl:with-param name="diags" select="$diags-periodiques"/>
            </xsl:call-template>
          </xsl:if>
          <xsl:if test="number($n-cycles) &gt; 0 or $diags-cycle">
            <xsl:call-template name="section">
              <xsl:with-param name="id" select="'bilans-cycle'"/>
              <xsl:with-param name="titre" select="'Bilans de fin de cycle'"/>
              <xsl:with-param name="type" select="'cycle'"/>
              <xsl:with-param name="diags" select="$diags-cycle"/>
            </xsl:call-template>
          </xsl:if>
          <xsl:call-template name="section">
            <xsl:with-param name="id" select="'fichier'"/>
            <xsl:with-param name="titre" select="'Fichier'"/>
            <xsl:with-param name="intro"
                            select="'Diagnostics qui portent sur le fichier lui-même et non sur un bilan.'"/>
            <xsl:with-param name="diags" select="$diags-fichier"/>
          </xsl:call-template>

          <xsl:call-template name="liste-bilans"/>
          <xsl:apply-templates select="$R/non-verifiees[regle]"/>
        </main>

        <footer class="pied">
          <div class="conteneur">
            <p>Rapport produit par <xsl:value-of select="$outil-version"/></p>
          </div>
        </footer>
        <script>
          <xsl:call-template name="js"/>
        </script>
      </body>
    </html>
  </xsl:template>

  <!-- « Import du fichier <export.xml> (38,54 ko) depuis PRONOTE le 07 juillet 2016 à 15:47:01 » -->
  <xsl:template match="fichier">
    <p class="import">
      <xsl:text>Import du fichier </xsl:text>
      <strong class="nom-fichier">
        <xsl:text>&lt;</xsl:text>
        <xsl:value-of select="@nom"/>
        <xsl:text>&gt;</xsl:text>
      </strong>
      <xsl:choose>
        <xsl:when test="normalize-space(@taille)!=''">
          <xsl:text> (</xsl:text><xsl:value-of select="@taille"/><xsl:text>)</xsl:text>
        </xsl:when>
        <xsl:when test="normalize-space(@octets)!=''">
          <xsl:text> (</xsl:text><xsl:value-of select="@octets"/><xsl:text> octets)</xsl:text>
        </xsl:when>
      </xsl:choose>
      <xsl:if test="normalize-space(concat(@editeur, @application))!=''">
        <xsl:text> depuis </xsl:text>
        <strong>
          <!-- « Edumoov Livret scolaire », not « Edumoov Edumoov Livret
               scolaire »: the editor once, when the application's name
               begins with it -->
          <xsl:variable name="bas" select="'abcdefghijklmnopqrstuvwxyzéèêàâîôûç'"/>
          <xsl:variable name="haut" select="'ABCDEFGHIJKLMNOPQRSTUVWXYZÉÈÊÀÂÎÔÛÇ'"/>
          <xsl:variable name="ed" select="translate(normalize-space(@editeur), $haut, $bas)"/>
          <xsl:variable name="app" select="translate(normalize-space(@application), $haut, $bas)"/>
          <xsl:choose>
            <xsl:when test="$ed!='' and starts-with($app, $ed)">
              <xsl:value-of select="normalize-space(@application)"/>
            </xsl:when>
            <xsl:otherwise>
              <xsl:value-of select="normalize-space(concat(@editeur, ' ', @application))"/>
            </xsl:otherwise>
          </xsl:choose>
        </strong>
      </xsl:if>
      <xsl:variable name="quand">
        <xsl:choose>
          <xsl:when test="normalize-space(@date-texte)!=''"><xsl:value-of select="normalize-space(@date-texte)"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="normalize-space(@date)"/></xsl:otherwise>
        </xsl:choose>
      </xsl:variable>
      <xsl:if test="$quand!=''">
        <xsl:text> </xsl:text>
        <xsl:choose>
          <xsl:when test="normalize-space(@date)!=''">
            <time datetime="{normalize-space(@date)}"><xsl:value-of select="$quand"/></time>
          </xsl:when>
          <xsl:otherwise><xsl:value-of select="$quand"/></xsl:otherwise>
        </xsl:choose>
      </xsl:if>
    </p>
    <dl class="meta">
      <xsl:if test="normalize-space(@uai)!=''">
        <div><dt>UAI</dt><dd><xsl:value-of select="@uai"/></dd></div>
      </xsl:if>
      <xsl:if test="normalize-space(@version-schema)!=''">
        <div><dt>Format</dt><dd>import école, version <xsl:value-of select="@version-schema"/></dd></div>
      </xsl:if>
      <xsl:if test="normalize-space(@chemin)!='' and @chemin!=@nom">
        <div><dt>Chemin</dt><dd class="chemin"><xsl:value-of select="@chemin"/></dd></div>
      </xsl:if>
    </dl>
  </xsl:template>

  <!-- « Classe(s) concernée(s) par l'import : … » -->
  <xsl:template name="classes">
    <xsl:variable name="liste" select="$R/classes/classe[normalize-space()!='']"/>
    <xsl:variable name="n" select="count($liste)"/>
    <p class="classes">
      <xsl:choose>
        <xsl:when test="$n &gt; 1">Classes concernées par l’import : </xsl:when>
        <xsl:otherwise>Classe concernée par l’import : </xsl:otherwise>
      </xsl:choose>
      <xsl:choose>
        <xsl:when test="$liste">
          <xsl:for-each select="$liste">
            <xsl:if test="position()&gt;1">, </xsl:if>
            <strong><xsl:value-of select="normalize-space()"/></strong>
          </xsl:for-each>
        </xsl:when>
        <xsl:otherwise><span class="discret">aucune</span></xsl:otherwise>
      </xsl:choose>
    </p>
  </xsl:template>

  <!-- Verdict banner. -->
  <xsl:template name="verdict">
    <xsl:variable name="classe">
      <xsl:choose>
        <xsl:when test="$conforme and number($avec-alertes)&gt;0">verdict verdict-alerte</xsl:when>
        <xsl:when test="$conforme">verdict verdict-ok</xsl:when>
        <xsl:when test="$fichier-rejete">verdict verdict-rejet</xsl:when>
        <xsl:otherwise>verdict verdict-partiel</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <div class="{$classe}" role="status">
      <span class="verdict-icone" aria-hidden="true">
        <xsl:choose>
          <xsl:when test="$conforme">✓</xsl:when>
          <xsl:otherwise>!</xsl:otherwise>
        </xsl:choose>
      </span>
      <div class="verdict-texte">
        <xsl:choose>
          <xsl:when test="$conforme">
            <p class="verdict-titre">Fichier conforme : tous les bilans seront importés</p>
            <xsl:if test="number($avec-alertes)&gt;0">
              <p>
                <xsl:value-of select="$avec-alertes"/>
                <xsl:call-template name="pluriel">
                  <xsl:with-param name="n" select="$avec-alertes"/>
                  <xsl:with-param name="un" select="' bilan sera importé avec alerte(s)'"/>
                  <xsl:with-param name="plusieurs" select="' bilans seront importés avec alerte(s)'"/>
                </xsl:call-template>
                <xsl:text>. Une alerte n’empêche ni l’import ni l’édition du bilan ; vérifiez-la tout de même.</xsl:text>
              </p>
            </xsl:if>
          </xsl:when>
          <xsl:when test="$fichier-rejete">
            <p class="verdict-titre">Fichier non conforme</p>
            <p>Le fichier est rejeté en entier : aucun bilan n’est importé.</p>
            <p>Corrigez les données dans le logiciel de suivi (ou dans ONDE), refaites l’export, puis recommencez l’import.</p>
          </xsl:when>
          <xsl:otherwise>
            <p class="verdict-titre">Fichier non conforme</p>
            <xsl:choose>
              <xsl:when test="number($rejetes)&gt;0">
                <p>
                  <xsl:value-of select="$rejetes"/>
                  <xsl:call-template name="pluriel">
                    <xsl:with-param name="n" select="$rejetes"/>
                    <xsl:with-param name="un" select="' bilan est rejeté'"/>
                    <xsl:with-param name="plusieurs" select="' bilans sont rejetés'"/>
                  </xsl:call-template>
                  <xsl:text> et ne </xsl:text>
                  <xsl:call-template name="pluriel">
                    <xsl:with-param name="n" select="$rejetes"/>
                    <xsl:with-param name="un" select="'sera'"/>
                    <xsl:with-param name="plusieurs" select="'seront'"/>
                  </xsl:call-template>
                  <xsl:text> pas importé</xsl:text>
                  <xsl:if test="number($rejetes)&gt;1">s</xsl:if>
                  <xsl:text> ; </xsl:text>
                  <xsl:choose>
                    <xsl:when test="number($importes)=0">aucun autre bilan n’est importé.</xsl:when>
                    <xsl:otherwise>
                      <xsl:value-of select="$importes"/>
                      <xsl:call-template name="pluriel">
                        <xsl:with-param name="n" select="$importes"/>
                        <xsl:with-param name="un" select="' bilan sera importé.'"/>
                        <xsl:with-param name="plusieurs" select="' bilans seront importés.'"/>
                      </xsl:call-template>
                    </xsl:otherwise>
                  </xsl:choose>
                </p>
              </xsl:when>
              <xsl:otherwise>
                <p>Des rejets ont été relevés : consultez le détail ci-dessous.</p>
              </xsl:otherwise>
            </xsl:choose>
            <p>Corrigez les données dans le logiciel de suivi (ou dans ONDE), refaites l’export, puis recommencez l’import.</p>
          </xsl:otherwise>
        </xsl:choose>
      </div>
    </div>
  </xsl:template>

  <!-- Counters, as LSU: "09 Traités | 08 Importés (avec succès, avec alerte(s)) | 01 Rejeté". -->
  <xsl:template name="compteurs">
    <section class="compteurs" aria-labelledby="titre-compteurs">
      <h2 id="titre-compteurs" class="sr-only">Compteurs</h2>
      <ul class="compteurs-liste">
        <li class="compteur compteur-traites">
          <span class="compteur-nb"><xsl:value-of select="format-number($traites, '00')"/></span>
          <xsl:text> </xsl:text>
          <span class="compteur-lib">
            <xsl:call-template name="pluriel">
              <xsl:with-param name="n" select="$traites"/>
              <xsl:with-param name="un" select="'Traité'"/>
              <xsl:with-param name="plusieurs" select="'Traités'"/>
            </xsl:call-template>
          </span>
        </li>
        <li class="compteur compteur-importes">
          <span class="compteur-nb"><xsl:value-of select="format-number($importes, '00')"/></span>
          <xsl:text> </xsl:text>
          <span class="compteur-lib">
            <xsl:call-template name="pluriel">
              <xsl:with-param name="n" select="$importes"/>
              <xsl:with-param name="un" select="'Importé'"/>
              <xsl:with-param name="plusieurs" select="'Importés'"/>
            </xsl:call-template>
          </span>
          <ul class="compteur-detail">
            <li><span class="pastille pastille-ok" aria-hidden="true"></span><strong><xsl:value-of select="format-number($avec-succes, '00')"/></strong> avec succès</li>
            <li><span class="pastille pastille-alerte" aria-hidden="true"></span><strong><xsl:value-of select="format-number($avec-alertes, '00')"/></strong> avec alerte(s)</li>
          </ul>
        </li>
        <li class="compteur compteur-rejetes">
          <span class="compteur-nb"><xsl:value-of select="format-number($rejetes, '00')"/></span>
          <xsl:text> </xsl:text>
          <span class="compteur-lib">
            <xsl:call-template name="pluriel">
              <xsl:with-param name="n" select="$rejetes"/>
              <xsl:with-param name="un" select="'Rejeté'"/>
              <xsl:with-param name="plusieurs" select="'Rejetés'"/>
            </xsl:call-template>
          </span>
        </li>
      </ul>
    </section>
  </xsl:template>

  <!-- Filter box: hidden until the script shows it (useless without JS). -->
  <xsl:template name="filtre">
    <form class="filtre" id="filtre" role="search" aria-label="Filtrer les résultats" hidden="hidden">
      <div class="filtre-champ">
        <label for="filtre-texte">Filtrer les résultats</label>
        <div class="filtre-saisie">
          <input type="search" id="filtre-texte" name="q" autocomplete="off" spellcheck="false"
                 placeholder="Élève, INE, classe, période, code, message…"
                 aria-describedby="filtre-etat"/>
          <button type="button" id="filtre-effacer" class="bouton-effacer">Effacer</button>
        </div>
      </div>
      <div class="bascules" role="group" aria-label="Gravité">
        <button type="button" class="bascule" data-sev="tous" aria-pressed="true">
          <span aria-hidden="true">★ </span>Tous (<xsl:value-of select="count($tous-diags)"/>)</button>
        <button type="button" class="bascule bascule-rejet" data-sev="rejet" aria-pressed="false">Rejets (<xsl:value-of select="$n-rejets"/>)</button>
        <button type="button" class="bascule bascule-alerte" data-sev="alerte" aria-pressed="false">Alertes (<xsl:value-of select="$n-alertes"/>)</button>
        <button type="button" class="bascule bascule-info" data-sev="info" aria-pressed="false">Infos (<xsl:value-of select="$n-infos"/>)</button>
      </div>
      <p id="filtre-etat" class="filtre-etat" aria-live="polite"></p>
    </form>
  </xsl:template>

  <!-- One section: heading, what it holds, then Rejets / Alertes / Informations. -->
  <xsl:template name="section">
    <xsl:param name="id"/>
    <xsl:param name="titre"/>
    <xsl:param name="intro" select="''"/>
    <xsl:param name="type" select="''"/>
    <xsl:param name="diags" select="/.."/>
    <xsl:variable name="n">
      <xsl:if test="$type!=''">
        <xsl:call-template name="n-bilans"><xsl:with-param name="type" select="$type"/></xsl:call-template>
      </xsl:if>
    </xsl:variable>
    <section class="bloc" id="{$id}" aria-labelledby="titre-{$id}">
      <h2 id="titre-{$id}"><xsl:value-of select="$titre"/></h2>
      <xsl:choose>
        <xsl:when test="$intro!=''"><p class="bloc-intro"><xsl:value-of select="$intro"/></p></xsl:when>
        <xsl:when test="$type!='' and number($n) &gt; 0">
          <p class="bloc-intro">
            <xsl:value-of select="$n"/>
            <xsl:call-template name="pluriel">
              <xsl:with-param name="n" select="number($n)"/>
              <xsl:with-param name="un" select="' bilan traité : '"/>
              <xsl:with-param name="plusieurs" select="' bilans traités : '"/>
            </xsl:call-template>
            <xsl:call-template name="n-bilans">
              <xsl:with-param name="type" select="$type"/>
              <xsl:with-param name="statut" select="'importe'"/>
            </xsl:call-template> importé(s) avec succès,
            <xsl:call-template name="n-bilans">
              <xsl:with-param name="type" select="$type"/>
              <xsl:with-param name="statut" select="'importe_avec_alertes'"/>
            </xsl:call-template> avec alerte(s),
            <xsl:call-template name="n-bilans">
              <xsl:with-param name="type" select="$type"/>
              <xsl:with-param name="statut" select="'rejete'"/>
            </xsl:call-template> rejeté(s).
          </p>
        </xsl:when>
      </xsl:choose>
      <xsl:call-template name="liste">
        <xsl:with-param name="id" select="concat($id, '-rejets')"/>
        <xsl:with-param name="sev" select="'rejet'"/>
        <xsl:with-param name="libelle" select="'Rejets'"/>
        <xsl:with-param name="vide" select="'Aucun rejet'"/>
        <xsl:with-param name="items" select="$diags[@severite='fatal' or @severite='bloquant']"/>
        <xsl:with-param name="ouvert" select="true()"/>
      </xsl:call-template>
      <xsl:call-template name="liste">
        <xsl:with-param name="id" select="concat($id, '-alertes')"/>
        <xsl:with-param name="sev" select="'alerte'"/>
        <xsl:with-param name="libelle" select="'Alertes'"/>
        <xsl:with-param name="vide" select="'Aucune alerte'"/>
        <xsl:with-param name="items" select="$diags[@severite='alerte']"/>
      </xsl:call-template>
      <xsl:call-template name="liste">
        <xsl:with-param name="id" select="concat($id, '-infos')"/>
        <xsl:with-param name="sev" select="'info'"/>
        <xsl:with-param name="libelle" select="'Informations'"/>
        <xsl:with-param name="vide" select="''"/>
        <xsl:with-param name="items"
                        select="$diags[not(@severite='fatal' or @severite='bloquant' or @severite='alerte')]"/>
      </xsl:call-template>
    </section>
  </xsl:template>

  <!-- An expandable list of diagnostics; when empty, $vide ("Aucun rejet"), or nothing when $vide is ''. -->
  <xsl:template name="liste">
    <xsl:param name="id"/>
    <xsl:param name="sev"/>
    <xsl:param name="libelle"/>
    <xsl:param name="vide"/>
    <xsl:param name="items"/>
    <xsl:param name="ouvert" select="false()"/>
    <xsl:variable name="total">
      <xsl:call-template name="nombre">
        <xsl:with-param name="v" select="$L[@id=$id]/@total"/>
        <xsl:with-param name="defaut" select="count($items)"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$items">
        <details class="liste liste-{$sev}" id="{$id}" data-liste="diag">
          <xsl:if test="$ouvert"><xsl:attribute name="open">open</xsl:attribute></xsl:if>
          <summary>
            <span class="liste-puce" aria-hidden="true"></span>
            <span class="liste-titre"><xsl:value-of select="$libelle"/></span>
            <xsl:text> </xsl:text>
            <span class="liste-nb" data-total="{$total}">(<xsl:value-of select="$total"/>)</span>
          </summary>
          <ol class="diags">
            <xsl:apply-templates select="$items"/>
          </ol>
          <xsl:call-template name="omis">
            <xsl:with-param name="affiches" select="count($items)"/>
            <xsl:with-param name="total" select="number($total)"/>
            <xsl:with-param name="quoi" select="'diagnostics'"/>
          </xsl:call-template>
          <p class="liste-aucun" hidden="hidden">Aucun résultat pour ce filtre.</p>
        </details>
      </xsl:when>
      <xsl:when test="$vide!=''">
        <p class="liste-vide liste-vide-{$sev}">
          <span class="liste-vide-icone" aria-hidden="true">✓</span>
          <xsl:value-of select="$vide"/>
        </p>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- One diagnostic: badge, code, title, line; who; message. -->
  <xsl:template match="diagnostic">
    <xsl:variable name="num" select="@n"/>
    <xsl:variable name="cat">
      <xsl:call-template name="categorie"/>
    </xsl:variable>
    <li class="diag diag-{$cat}" id="diag-{$num}" data-sev="{$cat}">
      <div class="diag-tete">
        <xsl:call-template name="badge-severite"/>
        <xsl:if test="normalize-space(@code)!=''">
          <code class="diag-code"><xsl:value-of select="@code"/></code>
        </xsl:if>
        <strong class="diag-titre"><xsl:value-of select="@titre"/></strong>
        <xsl:if test="normalize-space(@ligne)!='' and @ligne!='0'">
          <span class="diag-ligne">ligne <xsl:value-of select="@ligne"/></span>
        </xsl:if>
      </div>
      <xsl:if test="normalize-space(concat(@eleve, @ine, @classe, @periode))!=''">
        <ul class="diag-qui">
          <xsl:if test="normalize-space(@eleve)!=''">
            <li><span class="lib">Élève</span> <strong><xsl:value-of select="@eleve"/></strong></li>
          </xsl:if>
          <xsl:if test="normalize-space(@ine)!=''">
            <li><span class="lib">INE</span> <span class="ine"><xsl:value-of select="@ine"/></span></li>
          </xsl:if>
          <xsl:if test="normalize-space(@classe)!=''">
            <li><span class="lib">Classe</span> <xsl:value-of select="@classe"/></li>
          </xsl:if>
          <xsl:if test="normalize-space(@periode)!=''">
            <li><span class="lib">Période</span> <xsl:value-of select="@periode"/></li>
          </xsl:if>
        </ul>
      </xsl:if>
      <xsl:if test="normalize-space(.)!=''">
        <p class="diag-msg"><xsl:value-of select="."/></p>
      </xsl:if>
    </li>
  </xsl:template>

  <!-- Table of every bilan, inside a <details>. -->
  <!-- A file refused for schema reasons only: what the LSU rules would make
       of its bilans once those errors are fixed, apart from the verdict. -->
  <xsl:template name="si-corrige">
    <xsl:if test="$R/si-corrige">
      <section class="bloc si-corrige" aria-labelledby="titre-si-corrige">
        <h2 id="titre-si-corrige">Une fois les erreurs de schéma corrigées</h2>
        <p>
          <xsl:text>Le fichier reste refusé tant que les erreurs de schéma ne sont pas corrigées ; </xsl:text>
          <xsl:value-of select="$R/si-corrige"/>
          <xsl:text>.</xsl:text>
        </p>
      </section>
    </xsl:if>
  </xsl:template>

  <xsl:template name="liste-bilans">
    <section class="bloc" id="liste-bilans" aria-labelledby="titre-liste-bilans">
      <h2 id="titre-liste-bilans">Bilans du fichier</h2>
      <xsl:choose>
        <xsl:when test="$tous-bilans">
          <details class="liste liste-bilans" id="tableau-bilans" data-liste="bilan">
            <summary>
              <span class="liste-puce" aria-hidden="true"></span>
              <span class="liste-titre">Tous les bilans</span>
              <xsl:text> </xsl:text>
              <span class="liste-nb" data-total="{$n-bilans}">(<xsl:value-of select="$n-bilans"/>)</span>
            </summary>
            <div class="table-defil">
              <table class="bilans">
                <caption class="sr-only">Bilans du fichier et statut de leur import</caption>
                <thead>
                  <tr>
                    <th scope="col">Élève</th>
                    <th scope="col">INE</th>
                    <th scope="col">Classe</th>
                    <th scope="col">Période</th>
                    <th scope="col">Bilan</th>
                    <th scope="col" class="num">Ligne</th>
                    <th scope="col">Statut</th>
                    <th scope="col">Diagnostics</th>
                  </tr>
                </thead>
                <tbody>
                  <xsl:apply-templates select="$tous-bilans"/>
                </tbody>
              </table>
            </div>
            <xsl:call-template name="omis">
              <xsl:with-param name="affiches" select="count($tous-bilans)"/>
              <xsl:with-param name="total" select="number($n-bilans)"/>
              <xsl:with-param name="quoi" select="'bilans'"/>
            </xsl:call-template>
            <p class="liste-aucun" hidden="hidden">Aucun bilan ne correspond à ce filtre.</p>
          </details>
        </xsl:when>
        <xsl:otherwise>
          <p class="liste-vide">
            <xsl:choose>
              <xsl:when test="$fichier-rejete">Aucun bilan n’a été lu : le fichier est rejeté en entier.</xsl:when>
              <xsl:otherwise>Le fichier ne contient aucun bilan.</xsl:otherwise>
            </xsl:choose>
          </p>
        </xsl:otherwise>
      </xsl:choose>
    </section>
  </xsl:template>

  <!-- One row per bilan.  The report XML gives each bilan its status label
       and, as <lien> children, the diagnostics that concern it (computed by
       src/report.c): no lookup here, the table is written in one pass. -->
  <xsl:template match="bilan">
    <tr class="bilan bilan-{@sev}" id="bilan-{@n}" data-sev="{@sev}">
      <th scope="row"><xsl:value-of select="@eleve"/></th>
      <td class="ine"><xsl:value-of select="@ine"/></td>
      <td><xsl:value-of select="@classe"/></td>
      <td><xsl:value-of select="@periode"/></td>
      <td><xsl:value-of select="@type-libelle"/></td>
      <td class="num"><xsl:value-of select="@ligne"/></td>
      <td>
        <span class="statut statut-{@sev}"><xsl:value-of select="@statut-libelle"/></span>
        <xsl:if test="@statut-si-corrige-libelle">
          <span class="si-corrige-statut">Une fois le schéma corrigé : <xsl:value-of select="@statut-si-corrige-libelle"/></span>
        </xsl:if>
      </td>
      <td class="liens">
        <xsl:for-each select="lien">
          <xsl:if test="position() &gt; 1"><xsl:text> </xsl:text></xsl:if>
          <xsl:choose>
            <xsl:when test="@affiche='non'">
              <span class="lien-diag lien-{@cat}" title="{@titre}"><xsl:value-of select="@code"/></span>
            </xsl:when>
            <xsl:otherwise>
              <a class="lien-diag lien-{@cat}" href="#diag-{@n}" title="{@titre}"><xsl:value-of select="@code"/></a>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:for-each>
      </td>
    </tr>
  </xsl:template>

  <!-- « Règles non vérifiées » -->
  <!-- What to do, once per code the diagnostics use (the catalogue's remedy) -->
  <xsl:template match="que-faire">
    <section class="bloc" id="que-faire" aria-labelledby="titre-que-faire">
      <h2 id="titre-que-faire">Que faire</h2>
      <p class="bloc-intro">Pour chaque type de problème relevé, ce qu’il faut corriger et où :
        dans le logiciel de suivi, dans ONDE ou dans le paramétrage de l’école.</p>
      <ul class="regles">
        <xsl:for-each select="code">
          <li>
            <strong class="regle-nom"><xsl:value-of select="@code"/> — <xsl:value-of select="@titre"/></strong>
            <span class="regle-texte"><xsl:value-of select="."/></span>
          </li>
        </xsl:for-each>
      </ul>
    </section>
  </xsl:template>

  <xsl:template match="non-verifiees">
    <section class="bloc" id="regles-non-verifiees" aria-labelledby="titre-regles">
      <h2 id="titre-regles">Règles non vérifiées</h2>
      <p class="bloc-intro">Ces contrôles de LSU dépendent du paramétrage de l’école dans LSU
        (classes, périodes, mode de saisie, enseignants) : ils n’ont pas pu être faits ici.
        Ils seront faits par LSU au moment de l’import.</p>
      <ul class="regles">
        <xsl:for-each select="regle">
          <li>
            <strong class="regle-nom"><xsl:value-of select="@nom"/></strong>
            <xsl:if test="normalize-space(.)!=''">
              <span class="regle-texte"><xsl:value-of select="."/></span>
            </xsl:if>
          </li>
        </xsl:for-each>
      </ul>
    </section>
  </xsl:template>

  <!-- ================================================================ -->
  <!-- Helpers                                                           -->
  <!-- ================================================================ -->

  <!-- Number of bilans of a type (and of a status): the n-* attributes of
       <bilans>, or counted from the rows when absent. -->
  <xsl:template name="n-bilans">
    <xsl:param name="type"/>
    <xsl:param name="statut" select="''"/>
    <xsl:variable name="nom">
      <xsl:value-of select="concat('n-', $type)"/>
      <xsl:if test="$statut!=''"><xsl:value-of select="concat('-', $statut)"/></xsl:if>
    </xsl:variable>
    <xsl:variable name="att" select="$R/bilans/@*[local-name()=string($nom)]"/>
    <xsl:choose>
      <xsl:when test="$att"><xsl:value-of select="$att"/></xsl:when>
      <xsl:when test="$statut=''"><xsl:value-of select="count($tous-bilans[@type=$type])"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="count($tous-bilans[@type=$type and @statut=$statut])"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Under a list the page shortened: how many it shows, and where the rest is. -->
  <xsl:template name="omis">
    <xsl:param name="affiches"/>
    <xsl:param name="total"/>
    <xsl:param name="quoi"/>
    <xsl:if test="$total &gt; $affiches">
      <p class="liste-omis">
        <xsl:text>Seuls les </xsl:text>
        <xsl:value-of select="$affiches"/>
        <xsl:text> premiers </xsl:text>
        <xsl:value-of select="$quoi"/>
        <xsl:text> sur </xsl:text>
        <xsl:value-of select="$total"/>
        <xsl:text> sont affichés ici (le filtre ne porte que sur eux) ; les rapports CSV et JSON du même fichier les donnent tous.</xsl:text>
      </p>
    </xsl:if>
  </xsl:template>

  <!-- 'rejet' (fatal, bloquant), 'alerte' or 'info' for the context diagnostic. -->
  <xsl:template name="categorie">
    <xsl:choose>
      <xsl:when test="@severite='fatal' or @severite='bloquant'">rejet</xsl:when>
      <xsl:when test="@severite='alerte'">alerte</xsl:when>
      <xsl:otherwise>info</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="badge-severite">
    <xsl:choose>
      <xsl:when test="@severite='fatal'"><span class="badge badge-fatal">Fatal</span></xsl:when>
      <xsl:when test="@severite='bloquant'"><span class="badge badge-bloquant">Bloquant</span></xsl:when>
      <xsl:when test="@severite='alerte'"><span class="badge badge-alerte">Alerte</span></xsl:when>
      <xsl:otherwise><span class="badge badge-info">Info</span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- $v as a number when it is one, else $defaut. -->
  <xsl:template name="nombre">
    <xsl:param name="v"/>
    <xsl:param name="defaut" select="0"/>
    <xsl:choose>
      <xsl:when test="string(number($v))!='NaN'"><xsl:value-of select="number($v)"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$defaut"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="pluriel">
    <xsl:param name="n"/>
    <xsl:param name="un"/>
    <xsl:param name="plusieurs"/>
    <xsl:choose>
      <xsl:when test="number($n) &gt; 1"><xsl:value-of select="$plusieurs"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$un"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ================================================================ -->
  <!-- Style                                                             -->
  <!-- ================================================================ -->

  <xsl:template name="css">
<xsl:text disable-output-escaping="no">
:root{
  --bleu:#000091; --bleu-fonce:#00006d; --bleu-clair:#e3e3fd; --bleu-pale:#f5f5fe;
  --texte:#161616; --texte-2:#3a3a3a; --discret:#5e5e5e;
  --fond:#f6f6f6; --carte:#ffffff; --bord:#dddddd; --bord-fort:#929292;
  --rejet:#ce0500; --rejet-fond:#ffe9e9; --rejet-bord:#f6c1c1;
  --alerte:#a94100; --alerte-fond:#fff0e0; --alerte-bord:#f5cda8;
  --ok:#18753c; --ok-fond:#e6f7ec; --ok-bord:#b3e2c4;
  --info:#0054b0; --info-fond:#e8edff; --info-bord:#c3d0f5;
  --rayon:6px;
}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--fond);color:var(--texte);
  font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue","Noto Sans","Liberation Sans",Arial,sans-serif;
  font-size:1rem;line-height:1.5}
.conteneur{max-width:72rem;margin:0 auto;padding:0 1.5rem}
.sr-only{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
[hidden]{display:none!important}
a{color:var(--bleu)}
a:focus-visible,button:focus-visible,summary:focus-visible,input:focus-visible{outline:3px solid #0a76f6;outline-offset:2px}
code,.ine,.chemin{font-family:ui-monospace,"SFMono-Regular","DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.875em}
.discret{color:var(--discret)}

.evitement{position:absolute;left:1rem;top:-3rem;background:var(--bleu);color:#fff;padding:.5rem 1rem;z-index:10;border-radius:0 0 var(--rayon) var(--rayon)}
.evitement:focus{top:0}

/* Header band */
.entete{background:#fff;border-bottom:1px solid var(--bord);box-shadow:0 2px 6px rgba(0,0,18,.06)}
.entete-in{display:flex;align-items:center;justify-content:space-between;gap:1rem;padding-top:1rem;padding-bottom:1rem}
.marque{display:flex;align-items:center;gap:.9rem;margin:0}
.marque-drapeau{display:inline-flex;width:2.25rem;height:1.5rem;border-radius:2px;overflow:hidden;flex:none;box-shadow:0 0 0 1px rgba(0,0,0,.08)}
.marque-drapeau span{flex:1}
.marque-drapeau span:nth-child(1){background:var(--bleu)}
.marque-drapeau span:nth-child(2){background:#fff}
.marque-drapeau span:nth-child(3){background:#e1000f}
.marque-texte{display:flex;flex-direction:column;line-height:1.25}
.marque-titre{font-weight:700;font-size:1.2rem;color:var(--texte)}
.marque-sous{font-size:.875rem;color:var(--discret)}
.entete-outil{margin:0;font-size:.8125rem;color:var(--discret);border:1px solid var(--bord);border-radius:999px;padding:.15rem .7rem;white-space:nowrap}

/* Breadcrumb and title */
.ariane ol{list-style:none;margin:1.25rem 0 0;padding:0;display:flex;flex-wrap:wrap;font-size:.8125rem;color:var(--discret)}
.ariane li+li::before{content:"›";margin:0 .5rem;color:var(--bord-fort)}
.ariane li[aria-current]{color:var(--texte)}
h1{font-size:2rem;line-height:1.25;margin:.5rem 0 .75rem;color:var(--texte)}
h2{font-size:1.375rem;line-height:1.3;margin:0 0 .5rem}
.import{margin:0 0 .5rem;font-size:1.0625rem;color:var(--texte-2);overflow-wrap:anywhere}
.nom-fichier{color:var(--bleu);font-weight:700}
.meta{display:flex;flex-wrap:wrap;gap:.25rem 1.5rem;margin:0 0 .5rem;font-size:.875rem;color:var(--discret)}
.meta div{display:flex;gap:.4rem}
.meta dt{font-weight:600}
.meta dt::after{content:" :"}
.meta dd{margin:0;color:var(--texte-2);overflow-wrap:anywhere}
.classes{margin:.25rem 0 1.25rem}

/* Verdict */
.verdict{display:flex;gap:1rem;align-items:flex-start;border:1px solid;border-left-width:6px;border-radius:var(--rayon);padding:1rem 1.25rem;margin:0 0 1.5rem;background:#fff}
.verdict p{margin:.15rem 0}
.verdict-titre{font-weight:700;font-size:1.125rem}
.verdict-icone{flex:none;display:inline-flex;align-items:center;justify-content:center;width:2rem;height:2rem;border-radius:50%;color:#fff;font-weight:700;font-size:1.1rem;margin-top:.1rem}
.verdict-ok{border-color:var(--ok-bord);border-left-color:var(--ok);background:var(--ok-fond)}
.verdict-ok .verdict-icone{background:var(--ok)}
.verdict-ok .verdict-titre{color:var(--ok)}
.verdict-alerte{border-color:var(--ok-bord);border-left-color:var(--ok);background:var(--ok-fond)}
.verdict-alerte .verdict-icone{background:var(--ok)}
.verdict-alerte .verdict-titre{color:var(--ok)}
.si-corrige{border-left:4px solid var(--alerte-bord)}
.si-corrige-statut{display:block;font-size:.85em;color:#555}
.verdict-partiel{border-color:var(--alerte-bord);border-left-color:var(--alerte);background:var(--alerte-fond)}
.verdict-partiel .verdict-icone{background:var(--alerte)}
.verdict-partiel .verdict-titre{color:var(--alerte)}
.verdict-rejet{border-color:var(--rejet-bord);border-left-color:var(--rejet);background:var(--rejet-fond)}
.verdict-rejet .verdict-icone{background:var(--rejet)}
.verdict-rejet .verdict-titre{color:var(--rejet)}

/* Counters */
.compteurs-liste{list-style:none;margin:0 0 1.5rem;padding:0;display:grid;grid-template-columns:repeat(3,minmax(0,1fr));background:var(--carte);border:1px solid var(--bord);border-radius:var(--rayon);overflow:hidden}
.compteur{padding:1.1rem 1.5rem;display:flex;flex-wrap:wrap;align-items:baseline;gap:.1rem .6rem;border-top:4px solid var(--bord-fort)}
.compteur+.compteur{border-left:1px solid var(--bord)}
.compteur-traites{border-top-color:var(--bleu)}
.compteur-importes{border-top-color:var(--ok)}
.compteur-rejetes{border-top-color:var(--rejet)}
.compteur-nb{font-size:2.75rem;font-weight:800;line-height:1;font-variant-numeric:tabular-nums;letter-spacing:-.02em}
.compteur-traites .compteur-nb{color:var(--bleu)}
.compteur-importes .compteur-nb{color:var(--ok)}
.compteur-rejetes .compteur-nb{color:var(--rejet)}
.compteur-lib{font-size:1.125rem;font-weight:700}
.compteur-detail{list-style:none;margin:.5rem 0 0;padding:0;flex-basis:100%;font-size:.875rem;color:var(--texte-2)}
.compteur-detail strong{font-variant-numeric:tabular-nums;margin-right:.3rem}
.pastille{display:inline-block;width:.6rem;height:.6rem;border-radius:50%;margin-right:.45rem;vertical-align:.05em}
.pastille-ok{background:var(--ok)}
.pastille-alerte{background:var(--alerte)}

/* Filter */
.filtre{position:sticky;top:0;z-index:5;background:var(--carte);border:1px solid var(--bord);border-radius:var(--rayon);padding:.9rem 1.25rem;margin:0 0 1.5rem;display:flex;flex-wrap:wrap;align-items:flex-end;gap:.75rem 1.5rem;box-shadow:0 4px 12px rgba(0,0,18,.06)}
.filtre-champ{flex:1 1 22rem}
.filtre label{display:block;font-weight:600;margin-bottom:.3rem}
.filtre-saisie{display:flex;gap:.5rem}
.filtre input{flex:1;min-width:0;font:inherit;padding:.5rem .75rem;border:0;border-bottom:2px solid var(--texte-2);border-radius:4px 4px 0 0;background:#eee;color:var(--texte)}
.filtre input::placeholder{color:#6a6a6a}
button{font:inherit;cursor:pointer}
.bouton-effacer{border:1px solid var(--bleu);background:#fff;color:var(--bleu);border-radius:4px;padding:.45rem .9rem}
.bouton-effacer:hover{background:var(--bleu-pale)}
.bascules{display:flex;flex-wrap:wrap;gap:.4rem}
.bascule{border:1px solid var(--bord-fort);background:#fff;color:var(--texte);border-radius:999px;padding:.35rem .9rem;font-size:.875rem;font-weight:600}
.bascule:hover{background:var(--bleu-pale)}
.bascule[aria-pressed="true"]{background:var(--bleu);border-color:var(--bleu);color:#fff}
.bascule-rejet[aria-pressed="true"]{background:var(--rejet);border-color:var(--rejet)}
.bascule-alerte[aria-pressed="true"]{background:var(--alerte);border-color:var(--alerte)}
.bascule-info[aria-pressed="true"]{background:var(--info);border-color:var(--info)}
.filtre-etat{flex-basis:100%;margin:0;font-size:.875rem;color:var(--discret)}
.filtre-etat:empty{display:none}
.liste-filtree-vide>summary{color:var(--discret)}

/* Sections */
.bloc{background:var(--carte);border:1px solid var(--bord);border-radius:var(--rayon);padding:1.25rem 1.5rem 1.5rem;margin:0 0 1.5rem}
.bloc h2{padding-bottom:.5rem;border-bottom:2px solid var(--bleu-clair)}
.bloc-intro{margin:.25rem 0 1rem;color:var(--texte-2);font-size:.9375rem}

/* Expandable lists */
.liste{border:1px solid var(--bord);border-radius:var(--rayon);margin:.75rem 0 0;background:#fff}
.liste>summary{list-style:none;cursor:pointer;padding:.7rem 1rem;font-weight:700;display:flex;align-items:center;gap:.5rem;border-radius:var(--rayon)}
.liste>summary::-webkit-details-marker{display:none}
.liste>summary:hover{background:var(--bleu-pale)}
.liste[open]>summary{border-bottom:1px solid var(--bord);border-radius:var(--rayon) var(--rayon) 0 0}
.liste-puce{display:inline-block;width:.55rem;height:.55rem;border-right:2px solid currentColor;border-bottom:2px solid currentColor;transform:rotate(-45deg);transition:transform .15s;margin-right:.25rem}
.liste[open]>summary .liste-puce{transform:rotate(45deg)}
.liste-nb{font-weight:600;color:var(--discret)}
.liste-omis{margin:.5rem 1rem;color:var(--discret);font-style:italic}
.liste-rejet{border-left:4px solid var(--rejet)}
.liste-rejet>summary{color:var(--rejet)}
.liste-alerte{border-left:4px solid var(--alerte)}
.liste-alerte>summary{color:var(--alerte)}
.liste-info{border-left:4px solid var(--info)}
.liste-info>summary{color:var(--info)}
.liste-bilans{border-left:4px solid var(--bleu)}
.liste-bilans>summary{color:var(--bleu)}
.liste-aucun{margin:0;padding:.75rem 1rem;color:var(--discret);font-style:italic}
.liste-vide{margin:.5rem 0 0;padding:.55rem 1rem;color:var(--texte-2);background:var(--fond);border-radius:var(--rayon);font-size:.9375rem}
.liste-vide-icone{color:var(--ok);font-weight:700;margin-right:.5rem}

/* Diagnostics */
.diags{list-style:none;margin:0;padding:0}
.diag{padding:.8rem 1rem;border-top:1px solid #eeeeee}
.diag:first-child{border-top:0}
.diag:target{background:#fffbe0;outline:2px solid #e3c600;outline-offset:-2px}
.diag-tete{display:flex;flex-wrap:wrap;align-items:center;gap:.35rem .6rem}
.badge{display:inline-block;font-size:.75rem;font-weight:700;text-transform:uppercase;letter-spacing:.03em;padding:.1rem .5rem;border-radius:4px;line-height:1.5;border:1px solid}
.badge-fatal{background:var(--rejet);border-color:var(--rejet);color:#fff}
.badge-bloquant{background:var(--rejet-fond);border-color:var(--rejet-bord);color:var(--rejet)}
.badge-alerte{background:var(--alerte-fond);border-color:var(--alerte-bord);color:var(--alerte)}
.badge-info{background:var(--info-fond);border-color:var(--info-bord);color:var(--info)}
.diag-code{background:var(--fond);border:1px solid var(--bord);border-radius:4px;padding:.05rem .4rem;color:var(--texte-2)}
.diag-titre{font-weight:700}
.diag-ligne{margin-left:auto;font-size:.8125rem;color:var(--discret);font-variant-numeric:tabular-nums;white-space:nowrap}
.diag-qui{list-style:none;margin:.35rem 0 0;padding:0;display:flex;flex-wrap:wrap;gap:.15rem 1.25rem;font-size:.875rem;color:var(--texte-2)}
.diag-qui .lib{color:var(--discret);font-size:.8125rem;margin-right:.15rem}
.diag-msg{margin:.35rem 0 0;white-space:pre-line;overflow-wrap:anywhere}

/* Bilans table */
.table-defil{overflow-x:auto}
table.bilans{width:100%;border-collapse:collapse;font-size:.9rem}
.bilans th,.bilans td{text-align:left;padding:.5rem .75rem;border-bottom:1px solid #eeeeee;vertical-align:top}
.bilans thead th{background:var(--bleu-pale);color:var(--texte);font-weight:700;border-bottom:2px solid var(--bleu-clair);white-space:nowrap}
.bilans tbody th{font-weight:600}
.bilans tbody tr:nth-child(even){background:#fafafa}
.bilans tbody tr:hover{background:var(--bleu-pale)}
.bilans .num{text-align:right;font-variant-numeric:tabular-nums}
.statut{display:inline-block;white-space:nowrap;font-size:.8125rem;font-weight:700;padding:.05rem .55rem;border-radius:999px;border:1px solid}
.statut-ok{color:var(--ok);background:var(--ok-fond);border-color:var(--ok-bord)}
.statut-alerte{color:var(--alerte);background:var(--alerte-fond);border-color:var(--alerte-bord)}
.statut-rejet{color:var(--rejet);background:var(--rejet-fond);border-color:var(--rejet-bord)}
.liens{white-space:nowrap}
.lien-diag{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.8125rem;text-decoration-thickness:1px;text-underline-offset:2px}
.lien-rejet{color:var(--rejet)}
.lien-alerte{color:var(--alerte)}
.lien-info{color:var(--info)}

/* Rules not checked */
.regles{margin:0;padding:0;list-style:none}
.regles li{padding:.6rem 0 .6rem 1rem;border-left:3px solid var(--bleu-clair);margin:.5rem 0}
.regle-nom{display:block}
.regle-texte{color:var(--texte-2);font-size:.9375rem}

/* Footer */
.pied{border-top:3px solid var(--bleu);background:#fff;margin-top:2rem;font-size:.875rem;color:var(--discret)}
.pied p{margin:0;padding:1rem 0}

@media (max-width:40rem){
  .conteneur{padding:0 1rem}
  h1{font-size:1.6rem}
  .compteurs-liste{grid-template-columns:1fr}
  .compteur+.compteur{border-left:0;border-top-width:4px}
  .bloc{padding:1rem}
  .diag-ligne{margin-left:0}
  .filtre{position:static}
}
@media print{
  @page{margin:1.5cm}
  body{background:#fff;font-size:10.5pt}
  .evitement,.filtre,.ariane,.liste-puce{display:none!important}
  .entete,.bloc,.compteurs-liste,.liste{box-shadow:none}
  .entete{border-bottom:2px solid var(--bleu)}
  .conteneur{max-width:none;padding:0}
  .bloc{border:0;padding:0;margin:0 0 1.75rem}
  .bloc h2{break-after:avoid}
  .liste>summary{padding:.4rem .75rem}
  .diag,.bilans tr,.verdict,.compteurs{break-inside:avoid}
  .diag:target{background:none;outline:0}
  details::details-content{content-visibility:visible;display:block}
  .table-defil{overflow:visible}
  a{color:inherit;text-decoration:none}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
@media (prefers-reduced-motion:reduce){.liste-puce{transition:none}}
</xsl:text>
  </xsl:template>

  <!-- ================================================================ -->
  <!-- Script: filter box and print.  Reads the page, never the data.    -->
  <!-- ================================================================ -->

  <xsl:template name="js">
<xsl:text disable-output-escaping="no"><![CDATA[
(function () {
  "use strict";
  var form = document.getElementById("filtre");
  if (!form || !String.prototype.normalize || !document.querySelectorAll) return;
  var champ = document.getElementById("filtre-texte");
  var effacer = document.getElementById("filtre-effacer");
  var etat = document.getElementById("filtre-etat");
  var bascules = form.querySelectorAll(".bascule");
  var listes = document.querySelectorAll("details.liste");
  var sev = "tous";
  var ouvertAvant = [];
  var i;

  /* Lower case, no accents: "Zoë" and "ZOE" both give "zoe". */
  function norm(s) {
    return String(s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }

  /* Text of every item, normalised once. */
  var items = document.querySelectorAll("li.diag, tr.bilan");
  var textes = [];
  for (i = 0; i < items.length; i++) {
    /* Leave out the field labels ("Élève", "Classe"…): every item has them. */
    var copie = items[i].cloneNode(true);
    var libs = copie.querySelectorAll(".lib");
    for (var l = 0; l < libs.length; l++) libs[l].parentNode.removeChild(libs[l]);
    textes.push(norm(copie.textContent));
  }
  for (i = 0; i < listes.length; i++) ouvertAvant.push(listes[i].open);

  function pluriel(n, un, plusieurs) { return n + " " + (n > 1 ? plusieurs : un); }

  function appliquer() {
    var q = norm(champ.value);
    var actif = q !== "" || sev !== "tous";
    var nDiag = 0, nBilan = 0, j, k;
    for (j = 0; j < items.length; j++) {
      var el = items[j];
      var s = el.getAttribute("data-sev");
      var okSev = sev === "tous" || s === sev;
      var okTexte = q === "" || textes[j].indexOf(q) !== -1;
      el.hidden = !(okSev && okTexte);
      if (!el.hidden) { if (el.tagName === "TR") nBilan++; else nDiag++; }
    }
    for (k = 0; k < listes.length; k++) {
      var d = listes[k];
      var tous = d.querySelectorAll("li.diag, tr.bilan");
      var vis = 0;
      for (j = 0; j < tous.length; j++) if (!tous[j].hidden) vis++;
      var nb = d.querySelector(".liste-nb");
      var total = nb ? nb.getAttribute("data-total") : String(tous.length);
      if (nb) nb.textContent = actif ? "(" + vis + " sur " + total + ")" : "(" + total + ")";
      var aucun = d.querySelector(".liste-aucun");
      if (aucun) aucun.hidden = vis !== 0;
      d.classList.toggle("liste-filtree-vide", actif && vis === 0);
      if (actif) d.open = vis > 0; else d.open = ouvertAvant[k];
    }
    etat.textContent = actif
      ? pluriel(nDiag, "diagnostic correspond", "diagnostics correspondent") +
        " au filtre, et " + pluriel(nBilan, "bilan", "bilans") + "."
      : "";
  }

  for (i = 0; i < bascules.length; i++) {
    bascules[i].addEventListener("click", function () {
      sev = this.getAttribute("data-sev");
      for (var b = 0; b < bascules.length; b++)
        bascules[b].setAttribute("aria-pressed", bascules[b] === this ? "true" : "false");
      appliquer();
    });
  }
  champ.addEventListener("input", appliquer);
  champ.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { champ.value = ""; appliquer(); }
  });
  effacer.addEventListener("click", function () {
    champ.value = "";
    sev = "tous";
    for (var b = 0; b < bascules.length; b++)
      bascules[b].setAttribute("aria-pressed", b === 0 ? "true" : "false");
    appliquer();
    champ.focus();
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  /* Remember what the reader opened by hand while no filter is active. */
  for (i = 0; i < listes.length; i++) {
    (function (k) {
      listes[k].addEventListener("toggle", function () {
        if (norm(champ.value) === "" && sev === "tous") ouvertAvant[k] = listes[k].open;
      });
    })(i);
  }
  form.hidden = false;

  /* Printing shows every list, open or not, then puts things back. */
  var avantImpression = null;
  window.addEventListener("beforeprint", function () {
    var d = document.querySelectorAll("details");
    avantImpression = [];
    for (var k = 0; k < d.length; k++) { avantImpression.push(d[k].open); d[k].open = true; }
  });
  window.addEventListener("afterprint", function () {
    if (!avantImpression) return;
    var d = document.querySelectorAll("details");
    for (var k = 0; k < d.length && k < avantImpression.length; k++) d[k].open = avantImpression[k];
    avantImpression = null;
  });
})();
]]></xsl:text>
  </xsl:template>

</xsl:stylesheet>
