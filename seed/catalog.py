"""The hand-written part of the seed: categories, products, demo customers.

Everything else (ids, stock, dates, orders, images) is derived from this by `seed.generate`, deterministically.
Edit this file (not the JSON under seed/data/) and run `python -m seed.generate`.
"""

# ruff: noqa: RUF001 - the multiplication sign is the right one in product dimensions

from __future__ import annotations

from typing import NamedTuple


class Category(NamedTuple):
    slug: str
    colour: str  # background of the product's image
    name_es: str
    name_en: str


class Product(NamedTuple):
    category: str
    icon: str  # what the product's image shows (a key of seed.generate.ICONS): the kind, no words
    name_es: str
    name_en: str
    description_es: str
    description_en: str
    price: int  # EUR cents


class Customer(NamedTuple):
    email: str
    name: str
    locale: str
    line1: str
    city: str
    postal_code: str
    country: str  # ISO 3166-1 alpha-2


CATEGORIES: tuple[Category, ...] = (
    Category("electronica", "#2563eb", "Electrónica", "Electronics"),
    Category("hogar", "#d97706", "Hogar", "Home"),
    Category("deportes", "#16a34a", "Deportes", "Sports"),
    Category("libros", "#7c3aed", "Libros", "Books"),
    Category("moda", "#db2777", "Moda", "Fashion"),
    Category("juguetes", "#dc2626", "Juguetes", "Toys"),
    Category("jardin", "#0d9488", "Jardín", "Garden"),
    Category("belleza", "#64748b", "Belleza", "Beauty"),
)

# fmt: off
PRODUCTS: tuple[Product, ...] = (
    # electronica
    Product("electronica", "headphones", "Auriculares inalámbricos BT-500", "BT-500 wireless headphones",
            "Auriculares de diadema con cancelación activa de ruido y 30 horas de batería.",
            "Over-ear headphones with active noise cancelling and 30 hours of battery life.", 7999),
    Product("electronica", "speaker", "Altavoz portátil resistente al agua", "Waterproof portable speaker",
            "Altavoz Bluetooth con certificación IPX7, sonido de 360° y correa de transporte.",
            "IPX7-rated Bluetooth speaker with 360° sound and a carrying strap.", 4999),
    Product("electronica", "keyboard", "Teclado mecánico retroiluminado", "Backlit mechanical keyboard",
            "Teclado con interruptores táctiles, distribución española e iluminación RGB por tecla.",
            "Keyboard with tactile switches, Spanish layout and per-key RGB lighting.", 8990),
    Product("electronica", "mouse", "Ratón ergonómico inalámbrico", "Wireless ergonomic mouse",
            "Ratón vertical de seis botones que reduce la tensión de la muñeca; recargable por USB-C.",
            "Six-button vertical mouse that eases wrist strain; recharges over USB-C.", 3499),
    Product("electronica", "monitor", "Monitor 27\" QHD", "27\" QHD monitor",
            "Pantalla IPS de 2560 × 1440 a 75 Hz con soporte regulable en altura.",
            "2560 × 1440 IPS panel at 75 Hz on a height-adjustable stand.", 29900),
    Product("electronica", "laptop", "Portátil ultraligero 14\"", "14\" ultralight laptop",
            "Portátil de 1,1 kg con 16 GB de RAM, SSD de 512 GB y hasta 15 horas de autonomía.",
            "1.1 kg laptop with 16 GB of RAM, a 512 GB SSD and up to 15 hours of battery.", 129900),
    Product("electronica", "charger", "Cargador USB-C de 65 W", "65 W USB-C charger",
            "Cargador GaN compacto con dos puertos USB-C y uno USB-A para portátil y móvil.",
            "Compact GaN charger with two USB-C ports and one USB-A for laptop and phone.", 3990),
    Product("electronica", "smartwatch", "Reloj inteligente deportivo", "Sports smartwatch",
            "Reloj con GPS, pulsómetro, más de 100 modos deportivos y 10 días de batería.",
            "Watch with GPS, heart-rate sensor, over 100 sport modes and 10 days of battery.", 14999),
    # hogar
    Product("hogar", "coffee-maker", "Cafetera de goteo programable", "Programmable drip coffee maker",
            "Cafetera de 1,5 litros con temporizador de 24 horas y placa calefactora.",
            "1.5-litre coffee maker with a 24-hour timer and a warming plate.", 5499),
    Product("hogar", "frying-pan", "Juego de sartenes antiadherentes (3 piezas)", "Non-stick frying pan set (3 pieces)",
            "Sartenes de 20, 24 y 28 cm aptas para inducción y sin PFOA.",
            "20, 24 and 28 cm pans, induction-ready and PFOA-free.", 4590),
    Product("hogar", "table-lamp", "Lámpara de mesa LED regulable", "Dimmable LED table lamp",
            "Lámpara con tres temperaturas de color, control táctil y puerto de carga USB.",
            "Lamp with three colour temperatures, touch control and a USB charging port.", 2999),
    Product("hogar", "bed", "Juego de sábanas de algodón 150 cm", "Cotton bed sheet set, 150 cm",
            "Juego de tres piezas de algodón percal de 200 hilos para cama de 150 cm.",
            "Three-piece set in 200-thread-count cotton percale for a 150 cm bed.", 3950),
    Product("hogar", "vacuum", "Aspiradora sin cable", "Cordless vacuum cleaner",
            "Aspiradora escoba ciclónica con 45 minutos de autonomía y filtro HEPA.",
            "Cyclonic stick vacuum with 45 minutes of run time and a HEPA filter.", 17900),
    Product("hogar", "tumblers", "Set de 6 vasos de vidrio", "Set of 6 glass tumblers",
            "Vasos de 350 ml de vidrio templado, aptos para lavavajillas.",
            "350 ml tempered-glass tumblers, dishwasher safe.", 1899),
    Product("hogar", "cushion", "Cojín decorativo de lino", "Linen throw cushion",
            "Cojín de 45 × 45 cm con funda de lino lavado y relleno de fibra.",
            "45 × 45 cm cushion with a washed-linen cover and fibre filling.", 2250),
    Product("hogar", "kettle", "Hervidor eléctrico de acero 1,7 L", "1.7 L steel electric kettle",
            "Hervidor de acero inoxidable con apagado automático y base giratoria de 360°.",
            "Stainless-steel kettle with automatic shut-off and a 360° swivel base.", 3299),
    # deportes
    Product("deportes", "football", "Balón de fútbol talla 5", "Size 5 football",
            "Balón termosellado para césped natural y artificial, homologado para competición.",
            "Thermo-bonded ball for natural and artificial grass, approved for matches.", 2499),
    Product("deportes", "yoga-mat", "Esterilla de yoga antideslizante", "Non-slip yoga mat",
            "Esterilla de 6 mm de TPE con líneas de alineación y correa de transporte.",
            "6 mm TPE mat with alignment lines and a carrying strap.", 2999),
    Product("deportes", "dumbbell", "Mancuernas ajustables 2 × 10 kg", "Adjustable dumbbells 2 × 10 kg",
            "Par de mancuernas con discos intercambiables y cierres de rosca.",
            "Pair of dumbbells with interchangeable plates and screw collars.", 8900),
    Product("deportes", "running-shoe", "Zapatillas de running", "Running shoes",
            "Zapatillas ligeras con amortiguación reactiva para entrenamientos de asfalto.",
            "Lightweight shoes with responsive cushioning for road training.", 8999),
    Product("deportes", "padel-racket", "Pala de pádel de carbono", "Carbon padel racket",
            "Pala en forma de lágrima con caras de carbono 3K y núcleo de goma EVA.",
            "Teardrop racket with 3K carbon faces and an EVA rubber core.", 11900),
    Product("deportes", "bottle", "Botella térmica de 750 ml", "750 ml insulated bottle",
            "Botella de acero de doble pared: 24 horas frío, 12 horas caliente.",
            "Double-walled steel bottle: cold for 24 hours, hot for 12.", 1950),
    Product("deportes", "jump-rope", "Cuerda de saltar con rodamientos", "Ball-bearing jump rope",
            "Comba de velocidad con cable de acero regulable y mangos de aluminio.",
            "Speed rope with an adjustable steel cable and aluminium handles.", 1299),
    Product("deportes", "exercise-bike", "Bicicleta estática plegable", "Folding exercise bike",
            "Bicicleta con 8 niveles de resistencia magnética, pantalla LCD y pulsómetro.",
            "Bike with 8 magnetic resistance levels, an LCD display and a pulse sensor.", 24900),
    # libros
    Product("libros", "book", "Don Quijote de la Mancha", "Don Quixote",
            "Edición anotada en tapa dura de la obra cumbre de Miguel de Cervantes.",
            "Annotated hardback edition of Miguel de Cervantes's masterpiece.", 2450),
    Product("libros", "book", "Cien años de soledad", "One Hundred Years of Solitude",
            "La saga de los Buendía en Macondo, de Gabriel García Márquez.",
            "The saga of the Buendía family in Macondo, by Gabriel García Márquez.", 2190),
    Product("libros", "book", "La sombra del viento", "The Shadow of the Wind",
            "Novela de Carlos Ruiz Zafón ambientada en la Barcelona de posguerra.",
            "Carlos Ruiz Zafón's novel set in post-war Barcelona.", 1990),
    Product("libros", "book", "Cocina mediterránea fácil", "Easy Mediterranean Cooking",
            "Cien recetas sencillas de temporada con aceite de oliva, legumbres y verduras.",
            "One hundred simple seasonal recipes with olive oil, pulses and vegetables.", 2495),
    Product("libros", "book", "Introducción a Python", "Introduction to Python",
            "Manual práctico para aprender a programar desde cero con ejercicios resueltos.",
            "Hands-on guide to learning to program from scratch, with worked exercises.", 3490),
    Product("libros", "book", "Atlas ilustrado del mundo", "Illustrated World Atlas",
            "Atlas de gran formato con mapas físicos y políticos actualizados.",
            "Large-format atlas with up-to-date physical and political maps.", 2990),
    Product("libros", "book", "El principito", "The Little Prince",
            "El clásico de Antoine de Saint-Exupéry con las ilustraciones originales.",
            "Antoine de Saint-Exupéry's classic with the original illustrations.", 1295),
    Product("libros", "book", "Guía de senderismo por los Pirineos", "Hiking Guide to the Pyrenees",
            "Cuarenta rutas con mapas, desniveles y consejos de seguridad.",
            "Forty routes with maps, elevation profiles and safety advice.", 1895),
    # moda
    Product("moda", "t-shirt", "Camiseta básica de algodón orgánico", "Organic cotton basic T-shirt",
            "Camiseta de manga corta y cuello redondo en algodón orgánico certificado.",
            "Short-sleeved crew-neck T-shirt in certified organic cotton.", 1499),
    Product("moda", "jeans", "Vaqueros de corte recto", "Straight-leg jeans",
            "Vaqueros de tiro medio en denim elástico con cinco bolsillos.",
            "Mid-rise jeans in stretch denim with five pockets.", 4999),
    Product("moda", "jacket", "Chaqueta impermeable ligera", "Lightweight waterproof jacket",
            "Chaqueta con capucha, costuras selladas y bolsillos con cremallera; se guarda en su bolsillo.",
            "Hooded jacket with taped seams and zipped pockets; packs into its own pocket.", 7990),
    Product("moda", "sweater", "Jersey de lana merino", "Merino wool sweater",
            "Jersey de punto fino en lana merino extrafina, cálido y transpirable.",
            "Fine-knit sweater in extra-fine merino wool, warm and breathable.", 6990),
    Product("moda", "scarf", "Bufanda de punto", "Knitted scarf",
            "Bufanda larga de punto trenzado en mezcla de lana suave.",
            "Long cable-knit scarf in a soft wool blend.", 1990),
    Product("moda", "sunglasses", "Gafas de sol polarizadas", "Polarised sunglasses",
            "Gafas con lentes polarizadas de categoría 3 y montura de acetato.",
            "Sunglasses with category 3 polarised lenses and an acetate frame.", 3590),
    Product("moda", "backpack", "Mochila urbana 20 L", "20 L city backpack",
            "Mochila con compartimento acolchado para portátil de 15\" y tejido repelente al agua.",
            "Backpack with a padded 15\" laptop sleeve and water-repellent fabric.", 4490),
    Product("moda", "belt", "Cinturón de piel", "Leather belt",
            "Cinturón de piel curtida vegetal de 3,5 cm con hebilla metálica.",
            "3.5 cm vegetable-tanned leather belt with a metal buckle.", 2990),
    # juguetes
    Product("juguetes", "building-blocks", "Set de bloques de construcción (500 piezas)",
            "Building block set (500 pieces)",
            "Bloques compatibles en 20 colores con caja de almacenaje y libro de ideas.",
            "Compatible bricks in 20 colours with a storage box and an ideas book.", 3999),
    Product("juguetes", "puzzle", "Puzle de 1000 piezas «Paisaje»", "1000-piece jigsaw puzzle \"Landscape\"",
            "Puzle de 68 × 48 cm con piezas de cartón reciclado y póster de referencia.",
            "68 × 48 cm puzzle with recycled-card pieces and a reference poster.", 1699),
    Product("juguetes", "rc-car", "Coche teledirigido todoterreno", "Off-road remote-control car",
            "Coche 4×4 a escala 1:16 con batería recargable y mando de 2,4 GHz.",
            "1:16 scale 4×4 car with a rechargeable battery and a 2.4 GHz controller.", 4599),
    Product("juguetes", "teddy-bear", "Peluche de oso de 30 cm", "30 cm teddy bear",
            "Peluche suave apto desde el nacimiento, lavable a máquina.",
            "Soft teddy bear suitable from birth, machine washable.", 1999),
    Product("juguetes", "board-game", "Juego de mesa familiar de estrategia", "Family strategy board game",
            "Juego para 2 a 5 jugadores a partir de 8 años; partidas de 45 minutos.",
            "Game for 2 to 5 players aged 8 and up; 45-minute sessions.", 3490),
    Product("juguetes", "play-kitchen", "Cocinita de madera", "Wooden play kitchen",
            "Cocina infantil de madera con fogones, fregadero y accesorios.",
            "Children's wooden kitchen with hobs, a sink and accessories.", 8990),
    Product("juguetes", "science-kit", "Kit de ciencia para niños", "Kids' science kit",
            "Veinte experimentos de química y física con instrucciones ilustradas.",
            "Twenty chemistry and physics experiments with illustrated instructions.", 2790),
    Product("juguetes", "doll", "Muñeca articulada con accesorios", "Poseable doll with accessories",
            "Muñeca de 30 cm con 12 articulaciones, tres conjuntos de ropa y accesorios.",
            "30 cm doll with 12 joints, three outfits and accessories.", 2490),
    # jardin
    Product("jardin", "hose", "Manguera extensible de 15 m", "15 m expandable hose",
            "Manguera que triplica su longitud con la presión, con pistola de 7 chorros.",
            "Hose that triples in length under pressure, with a 7-pattern spray gun.", 2799),
    Product("jardin", "garden-tools", "Set de herramientas de jardín (3 piezas)", "Garden tool set (3 pieces)",
            "Pala, trasplantador y rastrillo de mano en acero con mango de madera.",
            "Trowel, transplanter and hand rake in steel with wooden handles.", 2299),
    Product("jardin", "plant-pot", "Maceta de cerámica de 30 cm", "30 cm ceramic plant pot",
            "Maceta esmaltada con orificio de drenaje y plato a juego.",
            "Glazed pot with a drainage hole and a matching saucer.", 1899),
    Product("jardin", "seeds", "Semillas de tomate ecológico", "Organic tomato seeds",
            "Sobre de 50 semillas de tomate corazón de buey de cultivo ecológico.",
            "Packet of 50 organically grown oxheart tomato seeds.", 349),
    Product("jardin", "solar-light", "Luces solares para jardín (pack de 6)", "Solar garden lights (pack of 6)",
            "Balizas LED con panel solar y encendido automático al anochecer.",
            "LED stake lights with a solar panel that switch on at dusk.", 2599),
    Product("jardin", "pruning-shears", "Tijeras de podar", "Pruning shears",
            "Tijeras de corte by-pass con hojas de acero al carbono y cierre de seguridad.",
            "Bypass shears with carbon-steel blades and a safety lock.", 1590),
    Product("jardin", "lounger", "Tumbona plegable de exterior", "Folding outdoor lounger",
            "Tumbona de aluminio con respaldo regulable en cinco posiciones.",
            "Aluminium lounger with a five-position adjustable backrest.", 6990),
    Product("jardin", "compost-bin", "Compostador de 300 L", "300 L compost bin",
            "Compostador de plástico reciclado con tapa y trampilla de extracción.",
            "Recycled-plastic compost bin with a lid and an extraction hatch.", 5490),
    # belleza
    Product("belleza", "cream-jar", "Crema hidratante facial 50 ml", "Moisturising face cream 50 ml",
            "Crema ligera con ácido hialurónico para todo tipo de pieles.",
            "Light cream with hyaluronic acid for every skin type.", 1890),
    Product("belleza", "soap-bar", "Champú sólido natural", "Natural solid shampoo",
            "Pastilla de champú sin envase plástico, equivalente a tres botellas.",
            "Plastic-free shampoo bar, equivalent to three bottles.", 890),
    Product("belleza", "hair-dryer", "Secador de pelo iónico 2000 W", "2000 W ionic hair dryer",
            "Secador con tecnología iónica, tres temperaturas y boquilla concentradora.",
            "Dryer with ionic technology, three heat settings and a concentrator nozzle.", 3990),
    Product("belleza", "perfume", "Perfume floral 100 ml", "Floral eau de parfum 100 ml",
            "Eau de parfum con notas de azahar, jazmín y almizcle blanco.",
            "Eau de parfum with notes of orange blossom, jasmine and white musk.", 5900),
    Product("belleza", "sunscreen", "Protector solar SPF 50", "SPF 50 sunscreen",
            "Protector solar de amplio espectro, resistente al agua, 200 ml.",
            "Broad-spectrum water-resistant sunscreen, 200 ml.", 1450),
    Product("belleza", "makeup-brush", "Set de brochas de maquillaje", "Makeup brush set",
            "Diez brochas de fibra sintética con estuche de viaje.",
            "Ten synthetic-fibre brushes with a travel case.", 2190),
    Product("belleza", "toothbrush", "Cepillo de dientes eléctrico", "Electric toothbrush",
            "Cepillo sónico con temporizador de dos minutos y dos cabezales.",
            "Sonic toothbrush with a two-minute timer and two brush heads.", 4490),
    Product("belleza", "oil-bottle", "Aceite corporal de almendras", "Sweet almond body oil",
            "Aceite de almendras dulces prensado en frío, 250 ml.",
            "Cold-pressed sweet almond oil, 250 ml.", 1290),
)
# fmt: on

# Every demo account's password is DEMO_PASSWORD (documented in seed/README.md).
DEMO_PASSWORD = "Demo-1234"  # noqa: S105 - public demo password, documented in seed/README.md

CUSTOMERS: tuple[Customer, ...] = (
    Customer("ana@example.com", "Ana García", "es", "Calle Mayor 12, 3º B", "Madrid", "28013", "ES"),
    Customer("john@example.com", "John Smith", "en", "221 Baker Street", "London", "NW1 6XE", "GB"),
    Customer("lucia@example.com", "Lucía Fernández", "es", "Avinguda Diagonal 450", "Barcelona", "08006", "ES"),
    Customer("carlos@example.com", "Carlos Martínez", "es", "Calle Larios 5", "Málaga", "29005", "ES"),
    Customer("emma@example.com", "Emma Wilson", "en", "Rua Augusta 100", "Lisboa", "1100-053", "PT"),
    Customer("javier@example.com", "Javier López", "es", "Calle Colón 20", "Valencia", "46004", "ES"),
)
