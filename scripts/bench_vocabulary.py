"""French vocabulary of a support knowledge base, for the synthetic corpus (make_corpus.py).

Written for the benchmark (not taken from any real base): noun phrases carry their article so
that sentences never need gender agreement or « de le » contractions; adjectives are epicene.
"""

from __future__ import annotations

# Data, not code: kept dense rather than one word per line.
# fmt: off

# Noun phrases with their article: subjects and objects of sentences.
NOUNS = (
    "le certificat", "la signature", "l'acte", "le bordereau", "le dossier", "le circuit", "le connecteur",
    "la collectivité", "le flux comptable", "le serveur", "la sauvegarde", "le navigateur",
    "la délégation", "la métadonnée", "la configuration", "le journal", "le message d'erreur", "le réseau",
    "le pare-feu", "le paquet d'installation", "la version", "le tableau de bord", "le bureau",
    "la bannette", "le sous-type", "le type de dossier", "la convocation", "la séance", "la délibération",
    "l'arrêté", "le projet", "le rapporteur", "l'ordre du jour", "la note de synthèse", "le vote",
    "la procuration", "l'élu", "le secrétariat", "l'annexe", "le document principal", "le fichier PDF",
    "le modèle", "la variable", "le gabarit", "l'accusé de réception", "la préfecture",
    "le contrôle de légalité", "la trésorerie", "le budget", "le titre de recette", "le mandat",
    "la pièce justificative", "le lot de flux", "l'archive", "le service d'archivage", "le versement",
    "le bordereau SEDA", "le profil d'archivage", "la GED", "le dépôt", "le classement",
    "la classification", "la nomenclature", "la matière", "le numéro d'acte", "l'identifiant",
    "le mot de passe", "le compte utilisateur", "le rôle", "le droit d'accès", "le groupe",
    "l'annuaire LDAP", "l'authentification", "la session", "le jeton", "le code PIN",
    "la clé de signature", "le support cryptographique", "l'autorité de certification",
    "la liste de révocation", "le cachet serveur", "l'horodatage", "le tiers de télétransmission",
    "la plateforme", "l'instance", "la base de données", "l'index de recherche", "le moteur de recherche",
    "la file d'attente", "la tâche planifiée", "le démon", "le service systemd", "le conteneur",
    "l'image Docker", "le volume", "le proxy", "le certificat TLS", "le nom de domaine", "l'adresse IP",
    "le port", "le protocole", "le webservice", "l'API", "la requête", "la réponse", "le code retour",
    "le délai d'attente", "la limite", "le quota", "l'espace disque", "la mémoire", "le processeur",
    "la charge", "la supervision", "l'alerte", "la notification", "le courriel", "le relais de messagerie",
    "le SMS", "l'expéditeur", "le destinataire", "la liste de diffusion", "le modèle de courriel",
    "la pièce jointe", "la taille maximale", "le format", "l'encodage", "le jeu de caractères",
    "le fichier CSV", "l'export", "l'import", "la synchronisation", "la migration", "la mise à jour",
    "le correctif", "la ligne de version", "la note de version", "le manuel", "la fiche réflexe",
    "la procédure", "l'étape", "le visa", "le rejet", "le droit de remords", "le suppléant", "l'absence",
    "le calendrier", "l'historique", "la trace", "l'audit", "le rapport", "la statistique", "le filtre",
    "la recherche avancée", "la liste des actes", "l'écran d'accueil", "le menu Administration",
    "le formulaire", "le bouton Enregistrer", "la fenêtre", "l'onglet", "la colonne", "le tri",
    "la pagination", "le poste de travail", "le système d'exploitation", "la machine virtuelle",
    "l'hébergement", "le contrat de maintenance", "le référent", "l'agent", "le gestionnaire",
    "l'administrateur fonctionnel", "l'administrateur technique", "le support", "le ticket",
    "la file de support", "la priorité", "le contournement", "l'anomalie", "le correctif urgent",
    "la cause", "le symptôme", "le paramètre", "le fichier de configuration", "la clé publique",
    "la chaîne de certification", "le magasin de certificats", "l'extension de signature",
    "le logiciel local", "le pilote du lecteur", "le lecteur de carte", "la carte agent",
)

# Third-person present verbs that take a direct object.
VERBS = (
    "vérifie", "transmet", "affiche", "enregistre", "contrôle", "génère", "signe", "vise", "archive",
    "supprime", "modifie", "renomme", "déplace", "importe", "exporte", "synchronise", "valide", "rejette",
    "bloque", "débloque", "relance", "redémarre", "recharge", "indexe", "convertit", "horodate", "chiffre",
    "déchiffre", "compresse", "télécharge", "dépose", "consulte", "complète", "remplace", "conserve",
    "purge", "notifie", "déclenche", "planifie", "reprend", "ignore", "refuse", "accepte", "associe",
    "dissocie", "publie", "retire", "renouvelle", "révoque", "teste", "surveille", "journalise", "calcule",
    "numérote", "classe", "filtre", "trie", "copie", "restaure", "sauvegarde", "paramètre", "active",
    "désactive", "interroge", "alimente", "met à jour", "prend en compte", "rattache",
)

# Infinitives, for « Pour … » and « Il est recommandé de … ».
INFINITIVES = (
    "vérifier", "transmettre", "afficher", "enregistrer", "contrôler", "générer", "signer", "archiver",
    "modifier", "importer", "exporter", "synchroniser", "valider", "débloquer", "relancer", "redémarrer",
    "recharger", "convertir", "télécharger", "déposer", "consulter", "remplacer", "conserver", "purger",
    "planifier", "renouveler", "révoquer", "tester", "surveiller", "paramétrer", "activer", "désactiver",
    "configurer", "installer", "mettre à jour", "sauvegarder", "restaurer", "rattacher", "retrouver",
    "corriger",
)

# Imperatives (« vous »), for numbered steps.
IMPERATIVES = (
    "ouvrez", "vérifiez", "sélectionnez", "cochez", "décochez", "saisissez", "enregistrez", "relancez",
    "redémarrez", "consultez", "téléchargez", "déposez", "supprimez", "modifiez", "exportez", "importez",
    "contrôlez", "renseignez", "choisissez", "validez", "copiez", "remplacez", "notez", "transmettez",
    "activez", "désactivez", "testez", "actualisez",
)

# Prepositional complements that end a sentence.
COMPLEMENTS = (
    "depuis l'interface d'administration", "lors de la mise à jour", "dans le menu Paramètres",
    "avant la fin de la séance", "après chaque redémarrage", "sans intervention manuelle",
    "pour chaque collectivité", "au moment de la signature", "dans le journal des événements",
    "à la création du dossier", "en fin de circuit", "pendant la nuit", "selon la priorité du ticket",
    "dans un délai de trois mois", "avant toute migration", "sur le poste de l'agent",
    "sur le serveur de production", "sur la plateforme de test", "pour l'ensemble des utilisateurs",
    "à partir de la version suivante", "à chaque connexion", "dans la limite du quota",
    "par lot de cent éléments", "au format PDF/A", "au format XML", "dans le répertoire de dépôt",
    "après validation du référent", "en cas d'échec de la transmission",
    "quand le certificat arrive à expiration", "toutes les cinq minutes", "une fois par jour",
    "dès la réception de l'accusé", "avec les droits d'administration", "sans redémarrer le service",
    "dans l'onglet Historique", "à l'aide du script fourni", "depuis la liste des dossiers",
    "dans la fenêtre de confirmation", "pour le compte de la collectivité", "avant l'envoi en préfecture",
    "en heures ouvrées", "au prochain passage de la tâche planifiée", "depuis le tableau de bord",
    "dans le fichier de configuration", "par l'intermédiaire du connecteur",
    "en respectant la nomenclature", "sous réserve des droits suffisants", "quel que soit le navigateur",
    "pour les dossiers déjà transmis", "pour les nouveaux dossiers",
    "conformément au contrat de maintenance", "dans les journaux du serveur",
    "avec un compte de service dédié", "sur l'ensemble des instances",
)

# Sentence openers.
CONNECTORS = (
    "Par défaut,", "Ensuite,", "Dans ce cas,", "En revanche,", "Si nécessaire,", "En pratique,",
    "Depuis cette version,", "Pour mémoire,", "À noter :", "De plus,", "Le cas échéant,",
    "Sur une installation mutualisée,", "En cas de doute,", "Le plus souvent,",
    "Sur les plateformes hébergées,", "Avant toute chose,",
)

# Epicene adjectives: they agree with any noun phrase above.
ADJECTIVES = (
    "électronique", "automatique", "technique", "juridique", "budgétaire", "comptable", "obligatoire",
    "valide", "invalide", "disponible", "compatible", "incompatible", "temporaire", "rapide", "fiable",
    "lisible", "illisible", "modifiable", "visible", "invisible", "unique", "externe", "interne", "souple",
    "stable", "sensible", "critique",
)

# Phrases that describe a problem, for FAQ titles (no agreement needed).
PROBLEMS = (
    "n'apparaît pas dans la liste", "ne s'affiche plus", "renvoie une erreur 500", "ne répond plus",
    "échoue après la mise à jour", "reste en attente", "disparaît après la migration", "reste introuvable",
    "provoque un délai d'attente", "n'est pas pris en compte", "reste à l'état transmis", "ne part pas",
    "s'affiche en double", "ne se charge pas dans le navigateur",
)

# Error messages quoted in FAQ articles and code blocks.
ERRORS = (
    "Erreur 403 : accès refusé", "Le certificat présenté a expiré", "Délai d'attente dépassé",
    "Connexion refusée par le serveur distant", "Format de fichier non pris en charge",
    "La signature n'est pas valide", "Numéro d'acte déjà utilisé", "Quota dépassé",
    "Impossible de générer le document", "Session expirée, veuillez vous reconnecter",
    "Tâche verrouillée par un autre processus", "Le bordereau ne respecte pas le schéma",
    "Classification absente ou obsolète", "Réponse inattendue du webservice",
)

# Headings of documentation pages.
DOC_HEADINGS = (
    "Présentation", "Prérequis techniques", "Installation", "Première connexion", "Paramétrage général",
    "Paramétrage des circuits", "Gestion des utilisateurs", "Gestion des droits",
    "Configuration du connecteur", "Certificats et sécurité", "Sauvegarde et restauration", "Supervision",
    "Journaux et traces", "Mise à jour", "Migration des données", "Exploitation courante", "Dépannage",
    "Limites connues", "Questions fréquentes", "Annexes", "Glossaire", "Dimensionnement", "Réseau et flux",
    "Import et export", "Notifications", "Archivage", "Recherche", "Tableau de bord",
    "Délégations et absences", "Modèles de documents", "Webservices", "Tâches planifiées", "Performances",
    "Accessibilité", "Bonnes pratiques", "Procédure pas à pas",
)

SUB_HEADINGS = (
    "Vérifications préalables", "Étapes", "Cas particulier", "Exemple", "Résultat attendu",
    "En cas d'échec", "Paramètres", "Commandes utiles", "Points d'attention", "Sous Debian", "Sous Ubuntu",
    "Avec un proxy", "Sans accès Internet", "Pour les administrateurs", "Pour les agents",
    "Valeurs recommandées",
)

# FAQ articles: a few recurring plans, as writers do.
FAQ_PLANS = (
    ('Symptôme', 'Cause', 'Solution', 'Si le problème persiste'), ('Contexte', 'Procédure', 'À vérifier'),
    ('Symptôme', 'Solution'), ('Description', 'Cause', 'Contournement', 'Correction définitive'),
    ('Question', 'Réponse', 'Pour aller plus loin'),
)

ADMONITIONS = (
    ('note', 'À savoir'), ('warning', 'Attention'), ('tip', 'Astuce'), ('warning', 'Avant de commencer'),
    ('note', 'Plateformes hébergées'),
)

# Release notes: the contract's sections (kb/README.md), grouped by the kinds that may use them.
PATCH_SECTIONS = (
    "Corrections", "Sécurité", "Limitations connues", "Réglementaire",
)

MINOR_SECTIONS = (
    "Ajouts", "Évolutions", "Corrections", "Dépréciations", "Retraits", "Réglementaire",
)

MAJOR_SECTIONS = (
    "Incompatibilités", "Ajouts", "Évolutions", "Corrections", "Retraits", "Sécurité",
)

# Documentation kinds (kb/README.md) and the labels that start titles.
DOC_KINDS = (
    ('manuel-utilisateur', 'Manuel utilisateur'), ('manuel-administrateur', 'Manuel administrateur'),
    ('manuel-installation', "Manuel d'installation"), ('manuel-mise-a-jour', 'Manuel de mise à jour'),
    ('pre-requis', 'Pré-requis'), ('manuel-exploitation', "Manuel d'exploitation"),
    ('fiche-reflexe', 'Fiche réflexe'), ('documentation-api', 'Documentation API'), ('autre', 'Guide'),
)

# Code: shell commands, configuration keys, services.
SERVICES = (
    "parafeo", "teletrans-worker", "deliberis-web", "convoca-mailer", "flux-daemon", "certiplus-ocsp",
    "nginx", "postgresql", "redis-server", "rabbitmq-server",
)

COMMANDS = (
    "sudo systemctl restart {service}", "sudo systemctl status {service}",
    "sudo journalctl -u {service} --since \"1 hour ago\"", "df -h /var/lib/{service}",
    "openssl x509 -in /etc/ssl/{service}.pem -noout -dates", "curl -sS https://localhost/api/health",
    "sudo -u www-data php bin/console cache:clear", "docker compose pull && docker compose up -d",
    "pg_dump -Fc {service} > /var/backups/{service}.dump", "tail -n 200 /var/log/{service}/error.log",
    "sudo apt-get install --only-upgrade {service}", "sudo crontab -l -u www-data",
)

CONFIG_KEYS = (
    "signature.delai_max", "transmission.retry", "archivage.profil", "mail.relay_host", "mail.sender",
    "ldap.base_dn", "ldap.sync_interval", "tls.certificate", "tls.key", "proxy.url", "upload.max_size",
    "session.timeout", "index.batch_size", "log.level", "webservice.timeout", "quota.daily",
    "notification.digest", "pdf.conversion",
)

CONFIG_VALUES = (
    "300", "5", "true", "false", "info", "debug", "30", "20M", "100", "SEDA_2_1", "relais.example.org",
    "ou=agents,dc=example,dc=org", "/etc/ssl/private/serveur.key", "http://proxy.example.org:3128",
    "quotidien",
)

# Information posts.
INTERVENTION_TITLES = (
    "Maintenance de la plateforme {product}", "Mise à jour de {product} sur les serveurs mutualisés",
    "Intervention sur le réseau de l'hébergement", "Renouvellement des certificats de {product}",
    "Migration de la base de données de {product}", "Coupure programmée de {product}",
)

INCIDENT_TITLES = (
    "Lenteurs sur {product}", "Transmissions bloquées sur {product}", "Connexions impossibles à {product}",
    "Retard d'envoi des notifications de {product}", "Erreurs de signature sur {product}",
)

NEWS_TITLES = (
    "{product} : nouvelle version disponible", "Webinaire de présentation de {product}",
    "Fermeture du support pendant les congés", "Enquête de satisfaction sur {product}",
    "Évolution réglementaire : ce qui change pour {product}",
)

NEWS_LABELS = (
    "Nouvelle version", "Webinaire", "Enquête", "Réglementaire", "Information",
)
# fmt: on
