<?xml version="1.0" encoding="UTF-8"?>
<!-- lsu serve: a page model (src/serve/page.c) into HTML.  Every text and
     attribute value comes from the model through xsl:value-of or an
     attribute value template: escaped by construction.  No inline style
     nor script (Content-Security-Policy default-src 'self'): the style
     sheet is /lsu.css; every action is a form that works without
     JavaScript. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="html" encoding="UTF-8" doctype-system="about:legacy-compat" indent="no"/>

  <xsl:template match="/page">
    <html lang="fr">
      <head>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <!-- a page of work under way (an edition) reloads itself, without script -->
        <xsl:if test="@rafraichir"><meta http-equiv="refresh" content="{@rafraichir}"/></xsl:if>
        <title><xsl:value-of select="@titre"/> – Livret scolaire unique</title>
        <link rel="stylesheet" href="/lsu.css"/>
      </head>
      <body>
        <a class="evitement" href="#contenu">Aller au contenu</a>
        <header class="entete">
          <p class="marque"><a href="/">Livret Scolaire Unique</a> <span>Du CP au CM2</span></p>
          <xsl:apply-templates select="entete"/>
        </header>
        <xsl:if test="fil/lien">
          <nav class="fil" aria-label="Fil d'Ariane">
            <ol>
              <xsl:for-each select="fil/lien">
                <li>
                  <xsl:choose>
                    <xsl:when test="@href"><a href="{@href}"><xsl:value-of select="."/></a></xsl:when>
                    <xsl:otherwise><span aria-current="page"><xsl:value-of select="."/></span></xsl:otherwise>
                  </xsl:choose>
                </li>
              </xsl:for-each>
            </ol>
          </nav>
        </xsl:if>
        <main id="contenu">
          <h1><xsl:value-of select="@titre"/></h1>
          <xsl:apply-templates select="contenu/node()"/>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="entete">
    <div class="utilisateur">
      <p>
        <span class="nom"><xsl:value-of select="@login"/></span>
        <xsl:if test="@role">
          <xsl:text> </xsl:text>
          <abbr class="role" title="{@role}">
            <xsl:choose>
              <xsl:when test="@role='directeur'">DIR</xsl:when>
              <xsl:otherwise>ENS</xsl:otherwise>
            </xsl:choose>
          </abbr>
        </xsl:if>
      </p>
      <xsl:if test="@uai">
        <p class="ecole"><xsl:value-of select="@uai"/> - <xsl:value-of select="@ecole"/>
          <xsl:text> </xsl:text><xsl:value-of select="@annee"/></p>
      </xsl:if>
      <xsl:if test="@plusieurs">
        <p><a href="/">changer d'établissement</a></p>
      </xsl:if>
      <form method="post" action="/deconnexion" class="deconnexion">
        <input type="hidden" name="csrf" value="{@csrf}"/>
        <button type="submit" title="Se déconnecter">Se déconnecter</button>
      </form>
    </div>
    <xsl:if test="@uai">
      <nav class="menu" aria-label="Menu">
        <ul>
          <li><a href="/ecole/{@uai}">Accueil</a></li>
          <li><a href="/ecole/{@uai}/bilans">Bilans</a></li>
          <xsl:if test="@role='directeur'">
            <li><a href="/ecole/{@uai}/import">Import</a></li>
          </xsl:if>
        </ul>
      </nav>
    </xsl:if>
  </xsl:template>

  <xsl:template match="h"><h2><xsl:apply-templates/></h2></xsl:template>
  <xsl:template match="p"><p><xsl:apply-templates/></p></xsl:template>
  <xsl:template match="erreur"><p class="erreur" role="alert"><xsl:apply-templates/></p></xsl:template>
  <xsl:template match="info"><p class="info" role="status"><xsl:apply-templates/></p></xsl:template>
  <xsl:template match="pre"><pre><xsl:if test="@id"><xsl:attribute name="id"><xsl:value-of select="@id"/></xsl:attribute></xsl:if><xsl:value-of select="."/></pre></xsl:template>
  <xsl:template match="fort"><strong><xsl:apply-templates/></strong></xsl:template>
  <xsl:template match="lien"><a href="{@href}"><xsl:if test="@titre"><xsl:attribute name="title"><xsl:value-of select="@titre"/></xsl:attribute></xsl:if><xsl:apply-templates/></a></xsl:template>
  <xsl:template match="liste"><ul><xsl:if test="@id"><xsl:attribute name="id"><xsl:value-of select="@id"/></xsl:attribute></xsl:if><xsl:for-each select="item"><li><xsl:apply-templates/></li></xsl:for-each></ul></xsl:template>
  <xsl:template match="details">
    <details><summary title="{@titre}"><xsl:value-of select="@resume"/></summary><p><xsl:value-of select="."/></p></details>
  </xsl:template>
  <xsl:template match="dl">
    <dl><xsl:for-each select="d"><div><dt><xsl:value-of select="@nom"/></dt><dd><xsl:apply-templates/></dd></div></xsl:for-each></dl>
  </xsl:template>

  <xsl:template match="tableau">
    <div class="tableau">
      <table>
        <xsl:if test="@id"><xsl:attribute name="id"><xsl:value-of select="@id"/></xsl:attribute></xsl:if>
        <caption><xsl:value-of select="@legende"/></caption>
        <thead><tr><xsl:for-each select="entetes/c"><th scope="col"><xsl:apply-templates/></th></xsl:for-each></tr></thead>
        <tbody>
          <xsl:for-each select="ligne">
            <tr>
              <xsl:if test="@id"><xsl:attribute name="id"><xsl:value-of select="@id"/></xsl:attribute></xsl:if>
              <xsl:for-each select="c"><td><xsl:apply-templates/></td></xsl:for-each>
            </tr>
          </xsl:for-each>
        </tbody>
      </table>
    </div>
  </xsl:template>

  <xsl:template match="formulaire">
    <form method="{@method}" action="{@action}">
      <xsl:if test="@id"><xsl:attribute name="id"><xsl:value-of select="@id"/></xsl:attribute></xsl:if>
      <xsl:if test="@enctype"><xsl:attribute name="enctype"><xsl:value-of select="@enctype"/></xsl:attribute></xsl:if>
      <xsl:if test="@csrf"><input type="hidden" name="csrf" value="{@csrf}"/></xsl:if>
      <xsl:apply-templates/>
    </form>
  </xsl:template>
  <xsl:template match="champ">
    <p class="champ">
      <label for="{@id}"><xsl:value-of select="@label"/></label>
      <input type="{@type}" name="{@name}" id="{@id}">
        <xsl:if test="@value"><xsl:attribute name="value"><xsl:value-of select="@value"/></xsl:attribute></xsl:if>
        <xsl:if test="@autocomplete"><xsl:attribute name="autocomplete"><xsl:value-of select="@autocomplete"/></xsl:attribute></xsl:if>
        <xsl:if test="@accept"><xsl:attribute name="accept"><xsl:value-of select="@accept"/></xsl:attribute></xsl:if>
        <xsl:if test="@requis"><xsl:attribute name="required">required</xsl:attribute></xsl:if>
      </input>
    </p>
  </xsl:template>
  <xsl:template match="cache"><input type="hidden" name="{@name}" value="{@value}"/></xsl:template>
  <!-- a check box of a table's row: its label names the pupil -->
  <xsl:template match="case">
    <input type="checkbox" name="{@name}" value="{@value}" id="{@id}"/>
    <label for="{@id}" class="invisible"><xsl:value-of select="@label"/></label>
  </xsl:template>
  <xsl:template match="choix">
    <p class="champ">
      <label for="{@id}"><xsl:value-of select="@label"/></label>
      <select name="{@name}" id="{@id}">
        <xsl:for-each select="option">
          <option value="{@value}">
            <xsl:if test="@selected"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
            <xsl:value-of select="."/>
          </option>
        </xsl:for-each>
      </select>
    </p>
  </xsl:template>
  <xsl:template match="bouton">
    <button type="submit">
      <xsl:if test="@name"><xsl:attribute name="name"><xsl:value-of select="@name"/></xsl:attribute></xsl:if>
      <xsl:if test="@value"><xsl:attribute name="value"><xsl:value-of select="@value"/></xsl:attribute></xsl:if>
      <xsl:if test="@form"><xsl:attribute name="form"><xsl:value-of select="@form"/></xsl:attribute></xsl:if>
      <xsl:value-of select="."/>
    </button>
  </xsl:template>
</xsl:stylesheet>
