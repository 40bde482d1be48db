1a\
<!DOCTYPE lsun-bilans [\
\  <!ENTITY ecole "École élémentaire Jean-Jaurès">\
]>
