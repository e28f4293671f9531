/* Plotly's own interface text (modebar tooltips, month names) in French and Spanish.
 * The locale objects are fr.js and es.js of the npm package plotly.js-locales@3.7.0 (MIT, licence
 * in licenses/plotly.js-locales-3.7.0-LICENSE.txt), unchanged but for the CommonJS wrapper; remade
 * by `npm pack plotly.js-locales@3.7.0` and the recipe in licenses/README.md. Each graph picks its
 * locale with config.locale (components.graph_config). The strings plotly.js 4 added are ours (below). plotly.js registers window.PlotlyLocales when
 * it loads (after this file: dcc.Graph loads it on demand); if it is already there, register now.
 */
(function () {
    var locales = [
        {
            moduleType: 'locale',
            name: 'fr',
            dictionary: {
                'Autoscale': 'Échelle automatique',
                'Box Select': 'Sélection rectangulaire',
                'Click to enter Colorscale title': 'Ajouter un titre à l\'échelle de couleurs',
                'Click to enter Component A title': 'Ajouter un titre à la composante A',
                'Click to enter Component B title': 'Ajouter un titre à la composante B',
                'Click to enter Component C title': 'Ajouter un titre à la composante C',
                'Click to enter Plot title': 'Ajouter un titre au graphique',
                'Click to enter Plot subtitle': 'Ajouter un sous-titre au graphique',
                'Click to enter X axis title': 'Ajouter un titre à l\'axe des x',
                'Click to enter Y axis title': 'Ajouter un titre à l\'axe des y',
                'Click to enter radial axis title': 'Ajouter un titre à l\'axe radial',
                'Compare data on hover': 'Comparaison entre données en survol',
                'Double-click on legend to isolate one trace': 'Double-cliquer sur la légende pour isoler une série',
                'Double-click to zoom back out': 'Double-cliquer pour dézoomer',
                'Download plot as a PNG': 'Télécharger le graphique en fichier PNG',
                'Download plot': 'Télécharger le graphique',
                'Edit in Chart Studio': 'Éditer le graphique sur Chart Studio',
                'IE only supports svg.  Changing format to svg.': 'IE ne permet que les conversions en SVG. Conversion en SVG en cours.',
                'Lasso Select': 'Sélection lasso',
                'Orbital rotation': 'Rotation orbitale',
                'Pan': 'Translation',
                'Produced with Plotly.js': 'Généré avec Plotly.js',
                'Reset': 'Réinitialiser',
                'Reset axes': 'Réinitialiser les axes',
                'Reset camera to default': 'Régler la caméra à sa valeur défaut',
                'Reset camera to last save': 'Régler la caméra à sa valeur sauvegardée',
                'Reset view': 'Réinitialiser',
                'Reset views': 'Réinitialiser',
                'Show closest data on hover': 'Données les plus proches en survol',
                'Snapshot succeeded': 'Conversion réussie',
                'Sorry, there was a problem downloading your snapshot!': 'Désolé, un problème est survenu lors du téléchargement de votre graphique',
                'Taking snapshot - this may take a few seconds': 'Conversion en cours, ceci peut prendre quelques secondes',
                'Zoom': 'Zoom',
                'Zoom in': 'Zoom intérieur',
                'Zoom out': 'Zoom extérieur',
                'close:': 'fermeture :',
                'trace': 'série',
                'lat:': 'lat. :',
                'lon:': 'lon. :',
                'q1:': 'q1 :',
                'q3:': 'q3 :',
                'source:': 'source :',
                'target:': 'embouchure :',
                'lower fence:': 'clôture inférieure :',
                'upper fence:': 'clôture supérieure :',
                'max:': 'max. :',
                'mean ± σ:': 'moyenne ± σ :',
                'mean:': 'moyenne :',
                'median:': 'médiane :',
                'min:': 'min. :',
                'new text': 'nouveau texte',
                'Turntable rotation': 'Rotation planaire',
                'Toggle Spike Lines': 'Activer/désactiver les pics',
                'open:': 'ouverture :',
                'high:': 'haut :',
                'low:': 'bas :',
                'Toggle show closest data on hover': 'Activer/désactiver le survol',
                'incoming flow count:': 'flux entrant :',
                'outgoing flow count:': 'flux sortant :',
                'kde:': 'est. par noyau :'
            },
            format: {
                days: ['Dimanche', 'Lundi', 'Mardi', 'Mercredi', 'Jeudi', 'Vendredi', 'Samedi'],
                shortDays: ['Dim', 'Lun', 'Mar', 'Mer', 'Jeu', 'Ven', 'Sam'],
                months: [
                    'Janvier', 'Février', 'Mars', 'Avril', 'Mai', 'Juin',
                    'Juillet', 'Août', 'Septembre', 'Octobre', 'Novembre', 'Décembre'
                ],
                shortMonths: [
                    'Jan', 'Fév', 'Mar', 'Avr', 'Mai', 'Jun',
                    'Jul', 'Aoû', 'Sep', 'Oct', 'Nov', 'Déc'
                ],
                date: '%d/%m/%Y',
                decimal: ',',
                thousands: ' ',
                year: '%Y',
                month: '%b %Y',
                dayMonth: '%-d %b',
                dayMonthYear: '%-d %b %Y'
            }
        },
        {
            moduleType: 'locale',
            name: 'es',
            dictionary: {
                'Autoscale': 'Autoescalar',                                   // components/modebar/buttons.js:139
                'Box Select': 'Seleccionar Caja',                             // components/modebar/buttons.js:103
                'Click to enter Colorscale title': 'Introducir el título de la Escala de Color', // plots/plots.js:303
                'Click to enter Component A title': 'Introducir el título del Componente A', // plots/ternary/ternary.js:392
                'Click to enter Component B title': 'Introducir el título del Componente B', // plots/ternary/ternary.js:406
                'Click to enter Component C title': 'Introducir el título del Componente C', // plots/ternary/ternary.js:417
                'Click to enter Plot title': 'Introducir el título de la Gráfica', // plot_api/plot_api.js:579
                'Click to enter Plot subtitle': 'Introducir el subtítulo de la Gráfica', // plot_api/plot_api.js:579
                'Click to enter X axis title': 'Introducir el título del eje X', // plots/plots.js:301
                'Click to enter Y axis title': 'Introducir el título del eje Y', // plots/plots.js:302
                'Click to enter radial axis title': 'Introducir el título del eje radial',
                'Compare data on hover': 'Comparar datos al pasar por encima', // components/modebar/buttons.js:167
                'Double-click on legend to isolate one trace': 'Haga doble-clic en la leyenda para aislar una traza', // components/legend/handle_click.js:90
                'Double-click to zoom back out': 'Haga doble-clic para restaurar la escala', // plots/cartesian/dragbox.js:335
                'Download plot as a PNG': 'Descargar gráfica como PNG',       // components/modebar/buttons.js:52
                'Download plot': 'Descargar gráfica',                         // components/modebar/buttons.js:53
                'Edit in Chart Studio': 'Editar en Chart Studio',             // components/modebar/buttons.js:76
                'IE only supports svg.  Changing format to svg.': 'IE solo soporta svg. Cambiando formato a svg.', // components/modebar/buttons.js:60
                'Lasso Select': 'Seleccionar con lazo',                       // components/modebar/buttons.js:112
                'Orbital rotation': 'Rotación esférica',                      // components/modebar/buttons.js:279
                'Pan': 'Modo Panorámica',                                     // components/modebar/buttons.js:94
                'Produced with Plotly.js': 'Hecho con Plotly.js',             // components/modebar/modebar.js:256
                'Reset': 'Reiniciar',                                         // components/modebar/buttons.js:431
                'Reset axes': 'Reiniciar ejes',                               // components/modebar/buttons.js:148
                'Reset camera to default': 'Restaurar cámara predeterminada', // components/modebar/buttons.js:313
                'Reset camera to last save': 'Restaurar anterior cámara',     // components/modebar/buttons.js:321
                'Reset view': 'Restaurar vista',                              // components/modebar/buttons.js:582
                'Reset views': 'Restaurar vistas',                            // components/modebar/buttons.js:528
                'Show closest data on hover': 'Mostrar el dato más cercano al pasar por encima', // components/modebar/buttons.js:157
                'Snapshot succeeded': 'La captura de la instantánea finalizó correctamente', // components/modebar/buttons.js:66
                'Sorry, there was a problem downloading your snapshot!': '¡La descarga de la instantánea falló!', // components/modebar/buttons.js:69
                'Taking snapshot - this may take a few seconds': 'Capturando una instantánea - podría tardar unos segundos', // components/modebar/buttons.js:57
                'Toggle Spike Lines': 'Mostrar/Ocultar Guías',                // components/modebar/buttons.js:547
                'Toggle show closest data on hover': 'Activar/Desactivar mostrar el dato más cercano al pasar por encima', // components/modebar/buttons.js:352
                'Turntable rotation': 'Rotación plana',                       // components/modebar/buttons.js:288
                'Zoom': 'Modo Ampliar/Reducir',                               // components/modebar/buttons.js:85
                'Zoom in': 'Ampliar',                                         // components/modebar/buttons.js:121
                'Zoom out': 'Reducir',                                        // components/modebar/buttons.js:130
                'close:': 'cierre:',                                          // traces/ohlc/transform.js:139
                'high:': 'alza:',                                             // traces/ohlc/transform.js:137
                'incoming flow count:': 'flujo de entrada:',                  // traces/sankey/plot.js:142
                'kde:': 'edp:',                                               // traces/violin/calc.js:73
                'lat:': 'lat:',                                               // traces/scattergeo/calc.js:48
                'lon:': 'lon:',                                               // traces/scattergeo/calc.js:49
                'low:': 'baja:',                                              // traces/ohlc/transform.js:138
                'lower fence:': 'límite inferior:',                           // traces/box/calc.js:134
                'max:': 'máx:',                                               // traces/box/calc.js:132
                'mean ± σ:': 'media ± σ:',                                    // traces/box/calc.js:133
                'mean:': 'media:',                                            // traces/box/calc.js:133
                'median:': 'mediana:',                                        // traces/box/calc.js:128
                'min:': 'mín:',                                               // traces/box/calc.js:129
                'new text': 'nuevo texto',
                'open:': 'apertura:',                                         // traces/ohlc/transform.js:136
                'outgoing flow count:': 'flujo de salida:',                   // traces/sankey/plot.js:143
                'q1:': 'q1:',                                                 // traces/box/calc.js:130
                'q3:': 'q3:',                                                 // traces/box/calc.js:131
                'source:': 'fuente:',                                         // traces/sankey/plot.js:140
                'target:': 'destino:',                                        // traces/sankey/plot.js:141
                'trace': 'traza',                                             // plots/plots.js:305
                'upper fence:': 'límite superior:'                            // traces/box/calc.js:135
            },
            format: {
                days: ['Domingo', 'Lunes', 'Martes', 'Miércoles', 'Jueves', 'Viernes', 'Sábado'],
                shortDays: ['Dom', 'Lun', 'Mar', 'Mié', 'Jue', 'Vie', 'Sáb'],
                months: [
                    'Enero', 'Febrero', 'Marzo', 'Abril', 'Mayo', 'Junio',
                    'Julio', 'Agosto', 'Septiembre', 'Octubre', 'Noviembre', 'Diciembre'
                ],
                shortMonths: [
                    'Ene', 'Feb', 'Mar', 'Abr', 'May', 'Jun',
                    'Jul', 'Ago', 'Sep', 'Oct', 'Nov', 'Dic'
                ],
                date: '%d/%m/%Y',
                decimal: ',',
                thousands: ' '
            }
        }
    ];
    // Strings plotly.js 4 (the one Dash serves) added after plotly.js-locales 3.7.0: ours.
    var added = {
        fr: {
            'Download plot as JSON': 'Télécharger le graphique en fichier JSON',
            'Draw circle': 'Dessiner un cercle',
            'Draw closed freeform': 'Dessiner une forme libre fermée',
            'Draw line': 'Dessiner une ligne',
            'Draw open freeform': 'Dessiner une forme libre ouverte',
            'Draw rectangle': 'Dessiner un rectangle',
            'Erase active shape': 'Effacer la forme active',
            'Image download succeeded': 'Image téléchargée',
            'JSON download succeeded': 'Fichier JSON téléchargé',
            'Preparing image - this may take a few seconds': 'Préparation de l\'image, ceci peut prendre quelques secondes',
            'Sorry, there was a problem downloading your JSON file!': 'Désolé, un problème est survenu lors du téléchargement du fichier JSON',
            'Sorry, there was a problem downloading your image!': 'Désolé, un problème est survenu lors du téléchargement de l\'image'
        },
        es: {
            'Download plot as JSON': 'Descargar gráfica como JSON',
            'Draw circle': 'Dibujar un círculo',
            'Draw closed freeform': 'Dibujar una forma libre cerrada',
            'Draw line': 'Dibujar una línea',
            'Draw open freeform': 'Dibujar una forma libre abierta',
            'Draw rectangle': 'Dibujar un rectángulo',
            'Erase active shape': 'Borrar la forma activa',
            'Image download succeeded': 'Imagen descargada',
            'JSON download succeeded': 'Archivo JSON descargado',
            'Preparing image - this may take a few seconds': 'Preparando la imagen, puede tardar unos segundos',
            'Sorry, there was a problem downloading your JSON file!': 'Lo sentimos, hubo un problema al descargar el archivo JSON',
            'Sorry, there was a problem downloading your image!': 'Lo sentimos, hubo un problema al descargar la imagen'
        }
    };
    locales.forEach(function (locale) {
        Object.assign(locale.dictionary, added[locale.name]);
    });
    if (window.Plotly && typeof window.Plotly.register === 'function') {
        window.Plotly.register(locales);
    } else {
        window.PlotlyLocales = (window.PlotlyLocales || []).concat(locales);
    }
})();
