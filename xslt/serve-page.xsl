<?xml version="1.0" encoding="UTF-8"?>
<!-- lsu serve: a page model (src/serve/page.c) into HTML.  Every text and
     attribute value comes from the model through xsl:value-of or an
     attribute value template: escaped by construction.  No inline style
     nor script (Content-Security-Policy default-src 'self'): the style
     sheet is /lsu.css, the entry grid's script /saisie.js; every action is a form that works without
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
        <xsl:if test="@script"><script src="{@script}" defer="defer"></script></xsl:if>
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
            <li><a href="/ecole/{@uai}/parametrage">Paramétrage</a></li>
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

  <!-- the entry grid (Saisie d'ensemble des acquis): a row per pupil, one
       radio group each (name p-INE; its value shown in the hidden o-INE),
       a labelled radio per column, a « Tout mettre à … » submit button per
       column; the disabled radios of a locked bilan send nothing -->
  <xsl:template match="grille-acquis">
    <div class="tableau">
      <table class="grille-acquis" id="{@id}">
        <caption><xsl:value-of select="@legende"/></caption>
        <thead>
          <tr>
            <th scope="col">Élève</th>
            <xsl:for-each select="colonne"><th scope="col"><xsl:value-of select="."/></th></xsl:for-each>
            <th scope="col">Statut</th>
          </tr>
          <xsl:if test="not(@lecture)">
          <tr class="tout">
            <td></td>
            <xsl:for-each select="colonne">
              <td><button type="submit" name="tout" value="{@valeur}" class="tout"><xsl:value-of select="@tout"/></button></td>
            </xsl:for-each>
            <td></td>
          </tr>
          </xsl:if>
        </thead>
        <tbody>
          <xsl:for-each select="eleve">
            <xsl:variable name="e" select="."/>
            <tr id="eleve-{@ine}">
              <xsl:if test="@verrouille"><xsl:attribute name="class">verrouille</xsl:attribute></xsl:if>
              <th scope="row"><xsl:value-of select="@nom"/><xsl:if test="not(../@lecture)"><input type="hidden" name="o-{@ine}" value="{@origine}"/></xsl:if></th>
              <xsl:for-each select="../colonne">
                <xsl:choose>
                <!-- read mode: the value shown, no field -->
                <xsl:when test="../@lecture">
                  <td><xsl:if test="string(@valeur) = string($e/@valeur)"><span aria-hidden="true">✔</span><span class="invisible"><xsl:value-of select="."/></span></xsl:if></td>
                </xsl:when>
                <xsl:otherwise>
                <td>
                  <input type="radio" name="p-{$e/@ine}" value="{@valeur}" id="p-{$e/@ine}-{position()}">
                    <xsl:if test="string(@valeur) = string($e/@valeur)"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
                    <xsl:if test="$e/@verrouille"><xsl:attribute name="disabled">disabled</xsl:attribute></xsl:if>
                  </input>
                  <label for="p-{$e/@ine}-{position()}" class="invisible"><xsl:value-of select="$e/@nom"/> : <xsl:value-of select="."/></label>
                </td>
                </xsl:otherwise>
                </xsl:choose>
              </xsl:for-each>
              <td>
                <xsl:for-each select="statut">
                  <p>
                    <xsl:if test="@classe"><xsl:attribute name="class"><xsl:value-of select="@classe"/></xsl:attribute></xsl:if>
                    <xsl:value-of select="."/>
                  </p>
                </xsl:for-each>
              </td>
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
      <!-- an entry form in edit mode: serve-saisie.js posts its fields there now and then (a draft) -->
      <xsl:if test="@brouillon">
        <xsl:attribute name="data-brouillon"><xsl:value-of select="@brouillon"/></xsl:attribute>
        <xsl:attribute name="data-ecran"><xsl:value-of select="@ecran"/></xsl:attribute>
      </xsl:if>
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
  <!-- a text of several lines (the fields of a form kept across an expired session) -->
  <xsl:template match="texte">
    <p class="champ">
      <label for="{@id}"><xsl:value-of select="@label"/></label>
      <textarea name="{@name}" id="{@id}" rows="8"><xsl:value-of select="."/></textarea>
    </p>
  </xsl:template>
  <!-- radio buttons: one choice among the options, in a fieldset -->
  <xsl:template match="radios">
    <fieldset class="champ">
      <legend><xsl:value-of select="@label"/></legend>
      <xsl:for-each select="option">
        <p>
          <input type="radio" name="{../@name}" value="{@value}" id="{../@name}-{position()}">
            <xsl:if test="@selected"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
          </input>
          <label for="{../@name}-{position()}"><xsl:value-of select="."/></label>
        </p>
      </xsl:for-each>
    </fieldset>
  </xsl:template>
  <!-- a check box with its label shown -->
  <xsl:template match="coche">
    <p class="champ">
      <input type="checkbox" name="{@name}" value="{@value}" id="{@id}">
        <xsl:if test="@selected"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
      </input>
      <label for="{@id}"><xsl:value-of select="@label"/></label>
    </p>
  </xsl:template>
  <!-- a box of explanations (the guide's yellow box) -->
  <xsl:template match="encadre"><div class="encadre"><xsl:if test="@id"><xsl:attribute name="id"><xsl:value-of select="@id"/></xsl:attribute></xsl:if><xsl:apply-templates/></div></xsl:template>
  <!-- a section with its heading -->
  <xsl:template match="section">
    <section>
      <xsl:if test="@id"><xsl:attribute name="id"><xsl:value-of select="@id"/></xsl:attribute></xsl:if>
      <h2><xsl:value-of select="@titre"/></h2>
      <xsl:apply-templates/>
    </section>
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
      <xsl:if test="@icone='disquette'"><xsl:call-template name="disquette"/></xsl:if>
      <xsl:value-of select="."/>
    </button>
  </xsl:template>

  <!-- the teachers' entry (screens_elements.c) -->
  <!-- a text to enter: its label, the text, its counter of code points
       (« 12 / 300 », the server's count; serve-saisie.js keeps it live) -->
  <xsl:template match="zone">
    <p class="champ zone">
      <label for="{@id}"><xsl:value-of select="@label"/></label>
      <textarea name="{@name}" id="{@id}" rows="{@lignes}" data-max="{@max}" aria-describedby="{@id}-compteur">
        <xsl:if test="@indication"><xsl:attribute name="placeholder"><xsl:value-of select="@indication"/></xsl:attribute></xsl:if>
        <xsl:value-of select="."/>
      </textarea>
      <span class="compteur" id="{@id}-compteur"><xsl:if test="@trop"><xsl:attribute name="class">compteur trop</xsl:attribute></xsl:if><xsl:value-of select="@compte"/> / <xsl:value-of select="@max"/></span>
    </p>
  </xsl:template>
  <!-- a group of fields under a legend -->
  <xsl:template match="groupe">
    <fieldset>
      <xsl:if test="@id"><xsl:attribute name="id"><xsl:value-of select="@id"/></xsl:attribute></xsl:if>
      <xsl:if test="@classe"><xsl:attribute name="class"><xsl:value-of select="@classe"/></xsl:attribute></xsl:if>
      <legend><xsl:value-of select="@legende"/></legend>
      <xsl:apply-templates/>
    </fieldset>
  </xsl:template>
  <!-- a part shown on demand (« Afficher l'aide à la saisie »), no script needed -->
  <xsl:template match="depliant">
    <details>
      <xsl:if test="@id"><xsl:attribute name="id"><xsl:value-of select="@id"/></xsl:attribute></xsl:if>
      <xsl:if test="@ouvert"><xsl:attribute name="open">open</xsl:attribute></xsl:if>
      <summary><xsl:value-of select="@resume"/></summary>
      <xsl:apply-templates/>
    </details>
  </xsl:template>
  <!-- a submit button with its hover title and accessible name -->
  <xsl:template match="action">
    <button type="submit" name="{@name}" value="{@value}">
      <xsl:if test="@titre">
        <xsl:attribute name="title"><xsl:value-of select="@titre"/></xsl:attribute>
        <xsl:attribute name="aria-label"><xsl:value-of select="@titre"/></xsl:attribute>
      </xsl:if>
      <xsl:if test="@icone='disquette'"><xsl:call-template name="disquette"/></xsl:if>
      <xsl:value-of select="."/>
    </button>
  </xsl:template>

  <!-- ==== the edit mode of the entry screens (src/serve/drafts.c): the
       guide's « crayon » opens the fields, its « disquette » saves ==== -->
  <xsl:template name="crayon">
    <svg class="icone" aria-hidden="true" focusable="false" width="16" height="16" viewBox="0 0 24 24"><path fill="currentColor" d="M3 17.25V21h3.75L17.8 9.94l-3.75-3.75zM20.7 7.04a1 1 0 0 0 0-1.41l-2.34-2.34a1 1 0 0 0-1.41 0l-1.83 1.83 3.75 3.75z"/></svg>
  </xsl:template>
  <xsl:template name="disquette">
    <svg class="icone" aria-hidden="true" focusable="false" width="16" height="16" viewBox="0 0 24 24"><path fill="currentColor" d="M17 3H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V7zm-5 16a3 3 0 1 1 0-6 3 3 0 0 1 0 6zm3-10H5V5h10z"/></svg>
  </xsl:template>
  <!-- read mode: « Modifier » opens the screen in edit mode (a link: no script needed) -->
  <xsl:template match="modifier">
    <p class="mode"><a class="bouton" id="modifier" href="{@href}" title="{@titre}"><xsl:call-template name="crayon"/><xsl:value-of select="."/></a></p>
  </xsl:template>
  <!-- edit mode: « Annuler » goes back to read mode, nothing saved -->
  <xsl:template match="annuler">
    <a class="bouton secondaire" id="annuler" href="{@href}" title="{@titre}"><xsl:value-of select="."/></a>
  </xsl:template>

  <!-- ==== the pupil's bilan, recto and verso, and its saisie individuelle
       (src/serve/screens_bilan.c) ==== -->
  <xsl:template match="partie">
    <section class="partie" id="{@id}"><h2><xsl:value-of select="@titre"/></h2><xsl:apply-templates/></section>
  </xsl:template>
  <xsl:template match="bloc"><div class="bloc" id="{@id}"><xsl:apply-templates/></div></xsl:template>
  <!-- a stored text: its line breaks kept (lsu.css .texte) -->
  <xsl:template match="texte-lu"><p class="texte"><xsl:value-of select="."/></p></xsl:template>
  <xsl:template match="sep"><span aria-hidden="true"> · </span></xsl:template>
  <!-- the acquis table: header cells per row, the appréciation across its rows -->
  <xsl:template match="grille">
    <div class="tableau">
      <table class="grille" id="{@id}">
        <caption><xsl:value-of select="@legende"/></caption>
        <thead><tr><xsl:for-each select="entetes/c"><th scope="col"><xsl:apply-templates/></th></xsl:for-each></tr></thead>
        <tbody>
          <xsl:for-each select="rang">
            <tr id="{@id}">
              <xsl:for-each select="cel">
                <xsl:choose>
                  <xsl:when test="@entete">
                    <th scope="row">
                      <xsl:if test="@classe"><xsl:attribute name="class"><xsl:value-of select="@classe"/></xsl:attribute></xsl:if>
                      <xsl:apply-templates/>
                    </th>
                  </xsl:when>
                  <xsl:otherwise>
                    <td>
                      <xsl:if test="@lignes"><xsl:attribute name="rowspan"><xsl:value-of select="@lignes"/></xsl:attribute></xsl:if>
                      <xsl:apply-templates/>
                    </td>
                  </xsl:otherwise>
                </xsl:choose>
              </xsl:for-each>
            </tr>
          </xsl:for-each>
        </tbody>
      </table>
    </div>
  </xsl:template>
  <!-- a text of the entry: its limit in code points said under it -->
  <xsl:template match="zone-bilan">
    <p class="champ">
      <label for="{@id}">
        <xsl:if test="@etiquette-cachee"><xsl:attribute name="class">invisible</xsl:attribute></xsl:if>
        <xsl:value-of select="@label"/>
      </label>
      <textarea name="{@name}" id="{@id}" rows="4" maxlength="{@max}" aria-describedby="{@id}-limite"><xsl:value-of select="."/></textarea>
      <span class="limite" id="{@id}-limite"><xsl:value-of select="@max"/> caractères au plus</span>
    </p>
  </xsl:template>
  <!-- a choice in a table's cell: its label read, not shown -->
  <xsl:template match="choix[@etiquette-cachee]">
    <label for="{@id}" class="invisible"><xsl:value-of select="@label"/></label>
    <select name="{@name}" id="{@id}">
      <xsl:for-each select="option">
        <option value="{@value}">
          <xsl:if test="@selected"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
          <xsl:value-of select="."/>
        </option>
      </xsl:for-each>
    </select>
  </xsl:template>
</xsl:stylesheet>
