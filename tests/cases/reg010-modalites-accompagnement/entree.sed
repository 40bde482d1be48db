68a\
\        <modalites-accompagnement>\
\          <modalite-accompagnement code="PPRE">\
\            <complement-ppre>Lecture : deux séances par semaine en petit groupe avec l'enseignante.</complement-ppre>\
\          </modalite-accompagnement>\
\          <modalite-accompagnement code="RASED"/>\
\        </modalites-accompagnement>
