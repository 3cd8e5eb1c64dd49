/**
 * The demo catalog that `npm run seed` loads: hand-written tables per category, so a new shop
 * looks like a real one. Everything here is fixed data: the same catalog on every run and every
 * machine (stock levels come from a hash of the product's name, never from Math.random).
 *
 * A row is `[name, unit, priceCents, description, extra?]`; `family()` spells out the varieties
 * of one product ("Gala apples", "Honeycrisp apples", …). Prices are US cents for the unit shown.
 * A row sold per `kg` is sold by weight (domain/catalog/weight.ts): its price is per kilogram, its
 * stock in grams, ordered in 250 g steps from 500 g unless the row says otherwise.
 */
import { createHash } from 'node:crypto';
import type { NewProduct } from '#domain/catalog/inputs.js';
import type { WeightTerms } from '#domain/catalog/weight.js';
import { seedFood } from './seed-food.js';

export interface SeedCategory {
  slug: string;
  name: string;
}

/** Exactly what `newProduct` (domain/catalog/inputs.ts) gives, every field spelled out. */
export type SeedProduct = NewProduct & { stock: number };

interface Extra {
  /** Fixed stock; otherwise a stable number in the category's range (of 100 g by weight). */
  stock?: number;
  available?: boolean;
  /** Sold per kg: other weight terms than the usual ones. */
  weight?: Partial<WeightTerms>;
}

const usualWeight: WeightTerms = { stepGrams: 250, minGrams: 500 };
/** What one piece of a product sold loose by weight about weighs, for display. */
const typical: [RegExp, number][] = [[/apples|pears|oranges/i, 180], [/potatoes|onions|tomatoes|zucchini/i, 150], [/drumsticks/i, 120]];

type Row = [name: string, unit: string, priceCents: number, description: string, extra?: Extra];
type Variety = [variety: string, priceCents: number, description: string, extra?: Extra];

/** "Gala" + "apples" → "Gala apples", all sold by the same unit. */
const family = (base: string, unit: string, varieties: Variety[]): Row[] =>
  varieties.map(([variety, price, description, extra]) => [`${variety} ${base}`, unit, price, description, extra]);

interface CategoryTable {
  slug: string;
  name: string;
  /** Where stock levels fall when a row names none: fresh bread comes in dozens, tins in hundreds. */
  stock: [min: number, max: number];
  rows: Row[];
}

const fruit: Row[] = [
  ...family('apples', 'kg', [
    ['Gala', 349, 'Mild, sweet and crisp with a thin striped skin, grown in Washington State. The one children actually finish.'],
    ['Honeycrisp', 549, 'Explosively juicy with a honeyed sweetness and a loud crunch. Minnesota bred it; we think it is worth the extra dollar.'],
    ['Granny Smith', 329, 'Bright green and properly tart. It keeps its shape in pies and crumbles, and its bite in a slaw.'],
    ['Pink Lady', 449, 'Sweet-tart and firm, picked late in the season so it stores for weeks in the fridge.'],
    ['Fuji', 379, 'Dense, very sweet flesh that stays crisp for a long time; lovely sliced with sharp cheddar.'],
  ]),
  ...family('pears', 'kg', [
    ['Bartlett', 329, 'Buttery and fragrant once the skin turns from green to yellow. Eat them soft, or poach them while still firm.'],
    ['Bosc', 359, 'Russet skin, honey-spice flavour and a dense texture that holds up to roasting and baking.'],
  ]),
  ['Bananas', 'each', 29, 'Cavendish bananas from Ecuador, delivered slightly green so they ripen on your counter in two or three days.'],
  ['Organic Fairtrade bananas', 'kg', 199, 'Certified organic and Fairtrade, grown by a farmer co-operative in the Dominican Republic.'],
  ['Navel oranges', 'kg', 299, 'Seedless, easy to peel and full of juice; California winter fruit at its best.'],
  ['Blood oranges', 'kg', 449, 'Crimson flesh with a raspberry edge to the citrus. Sicilian Tarocco, back when the season starts in January.', { stock: 0 }],
  ['Clementines', '1 kg bag', 399, 'Small, seedless and sweet, they peel in one go. A bag rarely survives a weekend.'],
  ['Lemons', 'each', 69, 'Thin-skinned Eureka lemons with plenty of juice and fragrant zest for baking.'],
  ['Limes', 'each', 49, 'Persian limes from Mexico. Roll one on the counter before cutting and you get twice the juice.'],
  ['Strawberries', '400 g punnet', 449, 'Sweet, deep red berries picked ripe in California. Best eaten the day you buy them, unwashed until then.'],
  ['Blueberries', '125 g punnet', 399, 'Plump highbush blueberries with a silvery bloom; for pancakes, muffins or a handful on your oatmeal.'],
  ['Raspberries', '125 g punnet', 449, 'Fragile and intensely fragrant. Keep them in a single layer and eat them within two days.'],
  ['Blackberries', '125 g punnet', 399, 'Glossy, juicy and a little tart, from Oregon. Excellent in a crumble with tart Granny Smiths.'],
  ['Red seedless grapes', '500 g', 379, 'Crimson Seedless grapes: firm, crunchy and sweet. Freeze a few for a cold snack on hot days.'],
  ['Green seedless grapes', '500 g', 379, 'Crisp Thompson grapes with a clean, bright sweetness, grown in the San Joaquin Valley.'],
  ['Hass avocados', 'each', 149, 'Creamy, nutty Hass avocados from Michoacán. Ripe when the skin darkens and gives slightly under a thumb.'],
  ['Ripe & ready avocados', 'pack of 2', 399, 'Two Hass avocados ripened for you and ready for toast or guacamole tonight.'],
  ['Ataulfo mangoes', 'each', 129, 'Small golden mangoes with silky, fibre-free flesh and a honeyed taste. Wait for slight wrinkles on the skin.'],
  ['Pineapple', 'each', 349, 'A Costa Rican MD2 pineapple, picked ripe: sweet, low in acidity and golden right to the core.'],
  ['Kiwifruit', 'each', 45, 'Tangy green kiwifruit from New Zealand, packed with vitamin C. Halve it and scoop it out with a spoon.'],
  ['Mini watermelon', 'each', 499, 'A seedless watermelon of about 2 kg, small enough for the fridge door and sweet to the rind.'],
  ['Cantaloupe', 'each', 399, 'Fragrant orange-fleshed melon. Wrap slices in prosciutto for the easiest starter there is.'],
  ['Bing cherries', '500 g', 699, 'Dark, sweet and firm cherries from the Pacific Northwest, with a short summer season.'],
  ['Pomegranate', 'each', 249, 'Heavy with ruby seeds, sweet and tart at once. Scatter them over salads, yogurt or roast lamb.'],
  ['Passion fruit', 'pack of 4', 349, 'Wrinkled purple shells full of perfumed pulp. Spoon it over ice cream or stir it into a drink.'],
  ['Black Mission figs', 'pack of 6', 599, 'Soft, jammy figs from California. Try them halved and roasted with honey and a little goat cheese.'],
  ['Yellow peaches', 'kg', 499, 'Juicy freestone peaches from Georgia, here for a few weeks each summer only.', { available: false }],
];

const vegetables: Row[] = [
  ['Russet potatoes', '2 kg bag', 349, 'Floury Idaho russets for fluffy baked potatoes, crisp fries and the smoothest mash.'],
  ['Yukon Gold potatoes', '2 kg bag', 449, 'Golden, buttery and waxy enough to keep their shape. Good at almost everything, especially roasting.'],
  ['Red potatoes', 'kg', 299, 'Thin red skins and firm white flesh. Boil them whole for potato salad; no peeling needed.'],
  ['Sweet potatoes', 'kg', 279, 'Orange-fleshed Beauregard sweet potatoes from North Carolina. Roast them in wedges with smoked paprika.'],
  ['Carrots', '1 kg bag', 149, 'Sweet, crunchy carrots for snacking, stews and soups.'],
  ['Rainbow carrots', 'bunch', 299, 'Purple, yellow and orange carrots with their tops on. Roasted whole, they make a plain dinner look festive.'],
  ['Yellow onions', '1 kg bag', 199, 'The everyday cooking onion: pungent raw, deeply sweet once slowly cooked.'],
  ['Red onions', 'kg', 249, 'Mild and colourful; slice them thinly into salads or quick-pickle them for tacos.'],
  ['Shallots', '250 g', 249, 'Delicate, sweet and less sharp than onions. The backbone of a good vinaigrette.'],
  ['Garlic', 'each', 59, 'A full, firm bulb of white garlic with large cloves that peel easily.'],
  ['Leeks', 'each', 129, 'Long white stems with a gentle onion flavour. Wash well between the layers before cooking.'],
  ['Vine tomatoes', 'kg', 449, 'Ripened on the vine in Ontario greenhouses, so they smell like tomatoes should.'],
  ['Cherry tomatoes', '250 g', 299, 'Sweet little tomatoes that burst when you bite them; roast them with garlic for a five-minute pasta sauce.'],
  ['Heirloom tomatoes', 'kg', 699, 'Odd shapes and colours from old varieties like Brandywine and Cherokee Purple. Just salt and good olive oil.'],
  ['Roma tomatoes', 'kg', 349, 'Meaty plum tomatoes with few seeds, made for sauces and salsa.'],
  ['English cucumber', 'each', 89, 'Long, seedless and thin-skinned; no need to peel. Cool and crisp in salads and sandwiches.'],
  ['Red bell peppers', 'each', 129, 'Sweet and thick-walled, grown in Mexico. Lovely charred on the grill and peeled.'],
  ['Mixed bell peppers', 'pack of 3', 349, 'One red, one yellow and one orange pepper for stir-fries, fajitas and stuffing.'],
  ['Broccoli', 'each', 199, 'Tight green crowns with tender stems. Roast at high heat until the edges char.'],
  ['Cauliflower', 'each', 299, 'A large, creamy-white head. Try it roasted whole with tahini, or in a cheese sauce.'],
  ['Baby spinach', '200 g', 299, 'Washed and ready to eat: tender leaves for salads, smoothies and wilting into pasta.'],
  ['Romaine hearts', 'pack of 3', 329, 'Crunchy, sweet inner leaves for Caesar salad or for grilling cut side down.'],
  ['Lacinato kale', 'bunch', 249, 'Dark, bumpy Tuscan kale, also called cavolo nero. Tender enough for salad when massaged with lemon.'],
  ['Zucchini', 'kg', 329, 'Small, firm zucchini with few seeds. Grate into fritters or slice lengthwise for the grill.'],
  ['Cremini mushrooms', '250 g', 249, 'Brown button mushrooms with more flavour than white ones. Brown them hard in butter before seasoning.'],
  ['Green asparagus', 'bunch', 399, 'Spring spears from Peru, about 450 g. Snap off the woody ends and roast or steam for four minutes.'],
  ['Sweet corn', 'each', 79, 'Bicolour ears with plump, sugary kernels; boil for three minutes or grill in the husk.'],
  ['Butternut squash', 'each', 249, 'Nutty, sweet orange flesh for soups, risottos and roasting. Keeps for weeks in a cool place.'],
  ['Green beans', '500 g', 299, 'Slim, snappy beans, topped and ready. Blanch them and toss with toasted almonds.'],
  ['Fresh ginger', 'kg', 999, 'Juicy, fiery ginger root from Peru. Freeze a knob and grate it straight from frozen.', { weight: { stepGrams: 50, minGrams: 100 } }],
  ['Fresh basil', 'bunch', 199, 'Sweet Genovese basil; keep it in a glass of water on the counter, never in the fridge.'],
  ['Flat-leaf parsley', 'bunch', 149, 'Bright, grassy Italian parsley for gremolata, tabbouleh and chimichurri.'],
  ['Celery', 'each', 199, 'A whole crisp head of Pascal celery. Essential for soups, stocks and Bloody Marys.'],
  ['Beetroot', 'bunch', 279, 'Earthy red beets with their greens attached; roast the roots and sauté the leaves like chard.'],
  ['Brussels sprouts', '500 g', 299, 'Small, tight sprouts. Halve them and roast with bacon until crisp at the edges.'],
  ['Wild garlic', 'bunch', 349, 'Foraged ramps with a garlicky bite, around for a few spring weeks only. Blitz into pesto.', { available: false }],
];

const dairy: Row[] = [
  ['Free-range large eggs', 'dozen', 549, 'Large brown eggs from hens with outdoor access on Pennsylvania family farms.'],
  ['Pasture-raised eggs', 'dozen', 749, 'Deep orange yolks from hens that roam open pasture. Worth it for a soft-boiled breakfast.'],
  ['Organic brown eggs', '6-pack', 399, 'Certified organic eggs from hens fed organic grain. Half a dozen for smaller households.'],
  ['Duck eggs', '6-pack', 699, 'Larger than hen eggs with rich, creamy yolks; bakers love them for sponge cakes.', { stock: 0 }],
  ['Whole milk', '1 L', 219, 'Creamy whole milk from grass-fed cows in Vermont, pasteurised but not homogenised, so shake before pouring.'],
  ['Whole milk, family size', '2 L', 379, 'The same Vermont whole milk in a bigger jug, for households that go through cereal quickly.'],
  ['2% reduced-fat milk', '2 L', 359, 'Lighter than whole milk but still good in coffee; from a dairy co-operative in Wisconsin.'],
  ['Skim milk', '1 L', 199, 'Fat-free milk with all the protein and calcium. Froths well for lattes.'],
  ['Lactose-free milk', '1 L', 329, 'Real cow’s milk with the lactose already broken down, so it tastes slightly sweeter.'],
  ['Barista oat milk', '1 L', 349, 'Swedish oat drink made to steam and foam like dairy milk. Dairy-free and nut-free.'],
  ['Buttermilk', '1 L', 249, 'Tangy cultured buttermilk for fluffy pancakes, biscuits and the crispiest fried chicken.'],
  ['Salted butter', '250 g', 449, 'Sweet cream butter with a pinch of sea salt, for spreading thickly on warm toast.'],
  ['Unsalted butter', '250 g', 449, 'Pure sweet cream butter, the baker’s choice because you control the salt.'],
  ['Irish grass-fed butter', '250 g', 499, 'Golden butter from cows grazing Irish pasture most of the year; rich, sweet and slightly grassy.'],
  ['Aged white cheddar', '200 g', 549, 'Aged 18 months in Vermont: sharp, crumbly and flecked with tiny crunchy crystals.'],
  ['Parmigiano Reggiano 24 months', '200 g', 899, 'A wedge from Emilia-Romagna, aged two years for a nutty, savoury depth. Save the rind for soups.'],
  ['Double-cream brie', '200 g', 649, 'A soft, buttery French brie with a bloomy rind. Let it sit out an hour before serving.'],
  ['Fresh mozzarella', '125 g', 299, 'Soft, milky balls of fior di latte in brine, for caprese salad and homemade pizza.'],
  ['Greek feta', '200 g', 449, 'Sheep and goat milk feta from Greece, salty and tangy, packed in brine to keep it moist.'],
  ['Halloumi', '250 g', 599, 'Cypriot grilling cheese that browns without melting. Fry slices until golden and squeeze over lemon.'],
  ['Whole-milk ricotta', '250 g', 399, 'Light, sweet curds for lasagne, stuffed shells or spread on toast with honey.'],
  ['Cream cheese', '200 g', 299, 'Smooth and tangy; the base of cheesecake and the best friend of a toasted bagel.'],
  ['Greek yogurt', '500 g', 499, 'Thick, strained whole-milk yogurt with 10% fat and a clean, tangy finish.'],
  ['Plain whole-milk yogurt', '1 kg', 449, 'Mild, pourable yogurt with live cultures, made in small batches in upstate New York.'],
  ['Vanilla skyr', '150 g', 179, 'Icelandic-style cultured dairy: very thick, high in protein and only lightly sweetened with real vanilla.'],
  ['Plain kefir', '1 L', 449, 'A fermented milk drink, tart and slightly fizzy, with a dozen live cultures.'],
  ['Heavy cream', '500 ml', 399, '36% fat cream that whips to stiff peaks and never splits in a pan sauce.'],
  ['Sour cream', '300 g', 229, 'Rich, tangy sour cream for baked potatoes, tacos and chilli.'],
  ['Crème fraîche', '200 ml', 349, 'French-style cultured cream, nutty and only mildly sour; stir it into hot sauces without curdling.'],
];

const bakery: Row[] = [
  ['Country sourdough', 'loaf', 699, 'Naturally leavened for 36 hours, with a blistered dark crust and an open, chewy crumb. Baked every morning.'],
  ['Seeded rye loaf', 'loaf', 649, 'Dense Nordic-style rye packed with sunflower, flax and pumpkin seeds. Slice thinly and keep it for days.'],
  ['Whole wheat sandwich bread', 'loaf', 449, 'Soft 100% whole wheat bread, sliced, made with a touch of honey.'],
  ['White sandwich bread', 'loaf', 349, 'A soft, fine-crumbed white loaf, sliced for sandwiches and French toast.'],
  ['Baguette', 'each', 299, 'A crackly-crusted French baguette, baked several times a day. Best within a few hours.'],
  ['Ciabatta', 'each', 299, 'Rustic Italian bread with big holes and a floury crust, just right for panini.'],
  ['Rosemary focaccia', 'each', 549, 'Olive-oil-rich focaccia dimpled with rosemary and flaky salt. Warm it briefly in the oven.'],
  ['Brioche loaf', 'loaf', 599, 'A golden, buttery brioche, tender and slightly sweet. Makes outstanding French toast.'],
  ['Braided challah', 'loaf', 699, 'A soft egg bread braided by hand and glazed; baked on Fridays only.', { stock: 0 }],
  ['Butter croissants', 'pack of 4', 649, 'Flaky croissants laminated with French butter. Refresh them for five minutes in a hot oven.'],
  ['Pain au chocolat', 'pack of 2', 449, 'Crisp, buttery pastry wrapped around two batons of dark chocolate.'],
  ['Cinnamon rolls', 'pack of 4', 699, 'Soft spiral rolls with a cinnamon-brown-sugar swirl and a cream cheese glaze.'],
  ['Blueberry muffins', 'pack of 4', 599, 'Moist muffins studded with wild blueberries under a crunchy sugar top.'],
  ['Plain bagels', 'pack of 6', 549, 'New York-style bagels, boiled then baked, with a chewy crust and dense middle.'],
  ['Everything bagels', 'pack of 6', 549, 'Covered in sesame, poppy seeds, garlic, onion and salt. Toast, then add cream cheese.'],
  ['English muffins', 'pack of 6', 399, 'Split them with a fork, not a knife, for the crunchy nooks butter disappears into.'],
  ['Flour tortillas', 'pack of 10', 349, 'Soft 20 cm tortillas for burritos and quesadillas; warm them in a dry pan.'],
  ['Pita bread', 'pack of 6', 299, 'Fluffy pocket pitas that puff in the oven. Stuff them or tear them into hummus.'],
  ['Garlic naan', 'pack of 4', 399, 'Tandoor-style flatbread brushed with garlic butter and coriander.'],
  ['Banana bread', 'loaf', 799, 'A moist loaf made with very ripe bananas, brown butter and walnuts.'],
  ['Chocolate chip cookies', 'pack of 6', 499, 'Crisp edges, chewy middles and pools of dark chocolate, finished with sea salt.'],
  ['Sourdough dinner rolls', 'pack of 6', 449, 'Small crusty rolls from the same dough as our country loaf; warm them for a holiday table.'],
];

const meat: Row[] = [
  ['Free-range whole chicken', 'each (about 1.8 kg)', 1299, 'An air-chilled whole bird from a free-range farm in Pennsylvania. Roast at 220 °C for about an hour and a half.'],
  ['Chicken breast fillets', '500 g', 799, 'Skinless, boneless breasts with no added water. Brine them briefly for the juiciest results.'],
  ['Boneless chicken thighs', '500 g', 649, 'Skinless thigh fillets that stay tender on the grill and in curries.'],
  ['Chicken drumsticks', 'kg', 599, 'Meaty drumsticks, great value for a tray bake or sticky barbecue chicken.'],
  ['Chicken wings', 'kg', 899, 'Whole wings for the oven or fryer; toss them in hot sauce and butter for Buffalo wings.'],
  ['Ground beef 85% lean', '500 g', 649, 'Ground chuck from grass-fed Angus cattle; enough fat for juicy burgers and bolognese.'],
  ['Ribeye steak', '300 g', 1499, 'A thick-cut, well-marbled USDA Choice ribeye, dry-aged 21 days for a deeper beefy flavour.'],
  ['Sirloin steak', '250 g', 999, 'A leaner, firm-textured steak. Sear hard, rest five minutes and slice against the grain.'],
  ['Beef chuck roast', 'kg', 1599, 'A well-marbled shoulder cut that turns meltingly tender after three hours of slow braising.'],
  ['Beef short ribs', 'kg', 1999, 'Bone-in English-cut short ribs; braise them in red wine or smoke them low and slow.'],
  ['Beef stewing cubes', '500 g', 799, 'Trimmed chuck in bite-sized pieces for stews, chilli and pot pies.'],
  ['Pork shoulder', 'kg', 899, 'Bone-in Boston butt with a good fat cap, for pulled pork or a slow Sunday roast.'],
  ['Bone-in pork chops', 'pack of 2', 899, 'Thick-cut heritage pork chops from Iowa; pink in the middle is just right.'],
  ['Smoked bacon', '250 g', 549, 'Dry-cured bacon smoked over applewood, sliced thick so it crisps without shrivelling.'],
  ['Italian sausages', 'pack of 6', 749, 'Pork sausages seasoned with fennel seed and garlic. Slice into pasta or grill whole.'],
  ['Lamb loin chops', '400 g', 1399, 'Tender chops from New Zealand grass-fed lamb. Two minutes a side with rosemary and garlic.'],
  ['Ground lamb', '500 g', 899, 'Rich and a little gamey; made for kofta, shepherd’s pie and spiced flatbreads.'],
  ['Prosciutto di Parma', '100 g', 599, 'Aged for at least 14 months in Parma and sliced paper-thin. Sweet, silky and delicate.'],
  ['Sliced roast turkey', '200 g', 549, 'Oven-roasted turkey breast sliced for sandwiches, with no added nitrates.'],
  ['Honey-glazed ham', '200 g', 499, 'Slow-cooked ham with a honey glaze, thinly sliced for sandwiches and salads.'],
  ['Spanish chorizo', '200 g', 499, 'Cured pork sausage seasoned with smoked paprika. Slice it into paella or eat it with manchego.'],
];

const fish: Row[] = [
  ['Atlantic salmon fillets', 'pack of 2', 1199, 'Two 150 g skin-on fillets from responsibly farmed Norwegian salmon. Start skin side down in a hot pan.'],
  ['Wild sockeye salmon', '250 g', 1399, 'Deep red Alaskan sockeye with a firm texture and pronounced flavour; back with the summer run.', { stock: 0 }],
  ['Cod loins', '400 g', 1099, 'Thick, flaky white loins from line-caught Icelandic cod, pin-boned and ready to cook.'],
  ['Smoked salmon', '100 g', 699, 'Scottish salmon cured and cold-smoked over oak. Layer it on bagels with cream cheese and capers.'],
  ['Yellowfin tuna steaks', 'pack of 2', 1299, 'Sushi-grade steaks; sear for a minute a side and keep the middle rosy.'],
  ['Raw jumbo shrimp', '500 g', 1299, 'Peeled and deveined wild Gulf shrimp with tails on, for garlic shrimp or the grill.'],
  ['Cooked cocktail shrimp', '200 g', 699, 'Cooked, peeled North Atlantic shrimp, sweet and ready for salads or a classic cocktail.'],
  ['Live mussels', '1 kg', 799, 'Rope-grown Prince Edward Island mussels. Steam them with white wine, garlic and parsley.'],
  ['Sea scallops', '250 g', 1899, 'Dry-packed Atlantic sea scallops with no added phosphates, so they sear to a deep golden crust.', { stock: 0 }],
  ['Rainbow trout fillets', '300 g', 999, 'Delicate, pink-fleshed trout from Idaho spring-water farms. Pan-fry with brown butter and almonds.'],
  ['Pacific halibut fillet', '300 g', 1799, 'Sweet, mild and meaty white fish from Alaska that stays moist when roasted.'],
  ['Smoked mackerel fillets', '200 g', 549, 'Hot-smoked, rich and peppery mackerel. Flake it into a pâté with crème fraîche and horseradish.'],
  ['Whole sea bass', 'each', 1199, 'A cleaned whole branzino of about 500 g. Stuff with lemon and herbs and roast for twenty minutes.'],
  ['Lump crab meat', '200 g', 1599, 'Hand-picked blue crab meat from the Chesapeake Bay, perfect for crab cakes.'],
  ['Fresh oysters', 'dozen', 2199, 'Briny East Coast oysters from Maine, shucked to order at the counter.', { available: false }],
];

const drinks: Row[] = [
  ['Sparkling mineral water', '12 x 355 ml', 599, 'Naturally carbonated mineral water with fine, persistent bubbles and a clean, slightly salty finish.'],
  ['Still spring water', '6 x 1.5 L', 499, 'Soft, low-mineral spring water bottled at the source in the Blue Ridge Mountains.'],
  ['Fresh-squeezed orange juice', '1 L', 549, 'Squeezed from Florida Valencia oranges and never concentrated. Pulp in, nothing added.'],
  ['Cloudy apple juice', '1 L', 299, 'Pressed from a blend of Gala and Jonagold apples and left unfiltered for a fuller flavour.'],
  ['Cranberry juice', '1 L', 399, 'Tart cranberry juice lightly sweetened with apple juice; lovely with sparkling water over ice.'],
  ['Tomato juice', '1 L', 299, 'Thick, savoury juice from ripe Californian tomatoes with a pinch of sea salt.'],
  ['Coconut water', '1 L', 399, 'Pure water from young green Thai coconuts, naturally sweet and refreshing.'],
  ['Cold brew coffee', '1 L', 599, 'Colombian beans steeped cold for 18 hours for a smooth, low-acid coffee. Serve over ice, with or without milk.'],
  ['Chai concentrate', '1 L', 549, 'Black tea brewed with cardamom, ginger, cinnamon and clove. Mix half and half with hot milk.'],
  ['Ginger kombucha', '400 ml bottle', 349, 'Raw, naturally fermented tea with a spicy ginger kick and gentle fizz.'],
  ['Classic lemonade', '1.5 L', 299, 'Cloudy lemonade made with real lemon juice and cane sugar, not too sweet.'],
  ['Unsweetened iced tea', '1.5 L', 249, 'Brewed black tea, chilled and bottled with nothing else added. Add a slice of lemon.'],
  ['Cola', '6-pack', 449, 'Six 330 ml cans of classic cola made with cane sugar.'],
  ['Diet cola', '6-pack', 449, 'Six 330 ml cans of sugar-free cola; all the fizz, no calories.'],
  ['Ginger beer', '4-pack', 499, 'Four fiery, brewed ginger beers in 275 ml bottles; the base of a Moscow mule or a dark and stormy.'],
  ['Indian tonic water', '4 x 200 ml', 449, 'Tonic made with natural quinine and bitter orange, built to partner a good gin.'],
  ['Lemon-lime sparkling water', '12 x 355 ml', 549, 'Unsweetened sparkling water with a squeeze of natural lemon and lime flavour.'],
  ['Green smoothie', '450 ml bottle', 449, 'Cold-pressed apple, cucumber, spinach, kale and ginger. Nothing heated, nothing added.'],
  ['Sparkling apple cider', '750 ml', 599, 'Non-alcoholic sparkling cider from New York State orchards, crisp and dry enough for the dinner table.'],
  ['Oat chocolate milk', '1 L', 349, 'Creamy dairy-free chocolate drink made from Swedish oats and Fairtrade cocoa.'],
];

const pantry: Row[] = [
  ['Extra virgin olive oil', '1 L', 899, 'Cold-pressed from Koroneiki olives in Crete: fruity, peppery and good enough to finish a dish with.'],
  ['Canola oil', '1 L', 399, 'A neutral, high-heat oil for frying, roasting and baking.'],
  ['Aged balsamic vinegar', '500 ml', 699, 'Balsamic vinegar of Modena aged in oak barrels: syrupy, sweet-sour and excellent on strawberries.'],
  ['Apple cider vinegar', '500 ml', 349, 'Raw, unfiltered vinegar with the mother, for dressings, pickles and marinades.'],
  ['Spaghetti', '500 g', 199, 'Bronze-cut durum wheat spaghetti from Gragnano; the rough surface holds on to sauce.'],
  ['Penne rigate', '500 g', 199, 'Ridged, tube-shaped pasta made for chunky tomato sauces and baked dishes.'],
  ['Fusilli', '500 g', 199, 'Tight spirals that trap pesto and creamy sauces; also the best shape for pasta salad.'],
  ['Egg tagliatelle', '500 g', 399, 'Rich egg pasta nests from Emilia-Romagna. Cooks in four minutes; toss with butter and parmesan.'],
  ['Basmati rice', '2 kg', 699, 'Aged Indian basmati with long, fragrant grains that cook up separate and fluffy.'],
  ['Jasmine rice', '2 kg', 649, 'Thai hom mali rice with a soft texture and a subtle floral aroma.'],
  ['Arborio rice', '1 kg', 499, 'Plump, starchy Italian rice for creamy risotto. Do not rinse it.'],
  ['Brown rice', '1 kg', 349, 'Long-grain whole brown rice with a nutty bite; cooks in 40 minutes.'],
  ['All-purpose flour', '2 kg', 399, 'Unbleached wheat flour milled in Kansas, for cakes, cookies and thickening sauces.'],
  ['Bread flour', '2 kg', 499, 'High-protein flour for chewy loaves, pizza dough and bagels.'],
  ['Granulated cane sugar', '2 kg', 349, 'Fine white cane sugar for baking and sweetening.'],
  ['Light brown sugar', '1 kg', 299, 'Soft, moist sugar with a caramel note; it makes cookies chewy.'],
  ['San Marzano tomatoes', '400 g can', 349, 'Whole peeled DOP tomatoes grown near Mount Vesuvius. Crush by hand for the simplest sauce.'],
  ['Chickpeas', '400 g can', 129, 'Tender cooked chickpeas for hummus, curries and crispy roasted snacks.'],
  ['Black beans', '400 g can', 129, 'Creamy black beans, ready to heat for tacos, burrito bowls and soups.'],
  ['Coconut milk', '400 ml can', 249, 'Rich, full-fat Thai coconut milk for curries and soups. Shake the can well first.'],
  ['Tuna in olive oil', '160 g jar', 399, 'Pole-caught yellowfin tuna packed in olive oil; flake it into salads or pasta.'],
  ['Sardines in olive oil', '120 g can', 329, 'Portuguese sardines, lightly smoked and packed by hand. Eat them on toast with lemon.'],
  ['Crunchy peanut butter', '500 g', 449, 'Just roasted peanuts and a little salt, with plenty of crunch. Stir before use.'],
  ['Strawberry jam', '340 g jar', 449, 'Made in small batches with whole strawberries and cane sugar; more fruit than sugar.'],
  ['Wildflower honey', '500 g jar', 899, 'Raw honey from hives in Oregon’s wildflower meadows; it may crystallise, which is a good sign.'],
  ['Pure maple syrup', '250 ml', 1099, 'Grade A dark maple syrup from Vermont with a robust taste. Pour it on pancakes or glaze roast carrots.'],
  ['Rolled oats', '1 kg', 349, 'Thick-cut whole grain oats for porridge, overnight oats and cookies.'],
  ['Maple pecan granola', '500 g', 599, 'Slow-baked oat clusters with pecans and a maple glaze. Good with yogurt or straight from the bag.'],
  ['Ground coffee, medium roast', '340 g', 999, 'A Colombian and Brazilian blend with chocolate and caramel notes, ground for drip and French press.'],
  ['Espresso beans', '1 kg', 2499, 'A dark, syrupy espresso roast of Brazilian and Ethiopian beans, roasted weekly in Brooklyn.'],
  ['English breakfast tea', 'box of 80', 549, 'A brisk blend of Assam and Kenyan teas that stands up to milk.'],
  ['Japanese sencha', 'box of 20', 349, 'Grassy, bright green tea from Shizuoka. Steep at 80 °C for a minute, never with boiling water.'],
  ['Flaky sea salt', '250 g', 599, 'Pyramid-shaped salt flakes harvested off the coast of Maldon. Crumble over steak, salads and chocolate.'],
  ['Black peppercorns', '100 g', 449, 'Bold Tellicherry peppercorns from India; grind them fresh for the best aroma.'],
  ['Chicken stock', '1 L', 299, 'Slow-simmered stock with no added MSG, the base of soups, risottos and gravies.'],
  ['Soy sauce', '500 ml', 349, 'Naturally brewed soy sauce, aged for six months for a round, deep umami flavour.'],
  ['Dijon mustard', '200 g jar', 299, 'Sharp, smooth mustard from Burgundy. Whisk a spoonful into any vinaigrette.'],
  ['Red lentils', '1 kg', 349, 'Split red lentils cook down in 15 minutes into creamy dals and soups.'],
];

const snacks: Row[] = [
  ['Sea salt potato chips', '150 g', 349, 'Kettle-cooked in small batches for a thick, crunchy chip, seasoned only with sea salt.'],
  ['Salt & vinegar potato chips', '150 g', 349, 'Kettle chips with a mouth-puckering malt vinegar tang.'],
  ['Tortilla chips', '300 g', 399, 'Sturdy stone-ground white corn chips that do not break in the salsa.'],
  ['Salted pretzels', '300 g', 329, 'Crunchy twisted pretzels with coarse salt; pair them with mustard or beer cheese.'],
  ['Lightly salted popcorn', '100 g', 299, 'Air-popped and lightly salted, a light snack for a film night.'],
  ['Roasted salted almonds', '200 g', 549, 'California almonds roasted in small batches and tossed with sea salt.'],
  ['Roasted cashews', '200 g', 649, 'Whole, buttery cashews from Vietnam, roasted golden without oil.'],
  ['Trail mix', '300 g', 599, 'Almonds, cashews, raisins, dried cranberries and dark chocolate chunks for the hike or the desk drawer.'],
  ['Dark chocolate 70%', '100 g', 349, 'Single-origin Ecuadorian dark chocolate with notes of red fruit and a long finish.'],
  ['Milk chocolate with hazelnuts', '100 g', 299, 'Creamy Swiss milk chocolate packed with whole roasted Piedmont hazelnuts.'],
  ['Oat & honey bars', 'pack of 5', 449, 'Chewy granola bars of whole oats, honey and a pinch of sea salt for lunchboxes.'],
  ['Peanut protein bars', 'pack of 4', 799, '20 g of protein per bar, with a soft peanut butter layer and a thin chocolate coat.'],
  ['Brown rice cakes', '130 g', 229, 'Thin, crisp whole grain rice cakes with a little salt; top them with avocado or nut butter.'],
  ['Classic hummus', '250 g', 349, 'Smooth chickpea hummus with tahini, lemon and garlic, made fresh in small batches.'],
  ['Chunky tomato salsa', '400 g jar', 349, 'Medium-hot salsa with roasted tomatoes, jalapeño and lime.'],
  ['Original beef jerky', '70 g', 699, 'Marinated, slow-smoked strips of grass-fed beef, savoury and chewy.'],
  ['Dried mango slices', '150 g', 449, 'Soft, chewy slices of Philippine mango, dried without added sugar.'],
  ['Medjool dates', '500 g', 899, 'Big, fudgy dates from California’s Coachella Valley. Stuff them with almonds or blue cheese.'],
  ['Gummy bears', '200 g', 279, 'Chewy fruit gummies in six flavours, coloured with fruit and vegetable juices.'],
  ['Roasted seaweed snacks', 'pack of 6', 399, 'Crisp sheets of Korean laver brushed with sesame oil and sea salt.'],
  ['Water crackers', '125 g', 299, 'Thin, crisp and plain crackers that let a good cheese do the talking.'],
];

const frozen: Row[] = [
  ['Garden peas', '1 kg', 299, 'Sweet peas frozen within hours of picking. Four minutes in boiling water and they are done.'],
  ['Mixed vegetables', '1 kg', 329, 'Carrots, peas, green beans and corn for fried rice and quick weeknight sides.'],
  ['Chopped spinach', '500 g', 249, 'Blanched and frozen in handy portions; squeeze it dry for dips, pies and curries.'],
  ['Mixed berries', '500 g', 549, 'Strawberries, raspberries, blackberries and blueberries, ready to blend into smoothies.'],
  ['Wild blueberries', '1 kg', 899, 'Tiny, intensely flavoured wild blueberries from Maine, frozen at peak season.', { stock: 0 }],
  ['Mango chunks', '500 g', 449, 'Ripe Kent mango cubes; blend from frozen for a thick, creamy smoothie.'],
  ['Margherita pizza', 'each', 599, 'A wood-fired sourdough base with San Marzano tomato, mozzarella and basil. Twelve minutes in a hot oven.'],
  ['Pepperoni pizza', 'each', 649, 'Stone-baked thin crust loaded with spicy pepperoni that curls and crisps in the oven.'],
  ['Vanilla bean ice cream', '1 L', 599, 'Dense ice cream speckled with Madagascan vanilla seeds, made with cream from local dairies.'],
  ['Dark chocolate ice cream', '1 L', 599, 'Rich chocolate ice cream made with Dutch cocoa and dark chocolate shavings.'],
  ['Mango sorbet', '500 ml', 499, 'Dairy-free sorbet of Alphonso mango purée, smooth and bright.'],
  ['Shoestring fries', '1 kg', 349, 'Thin-cut fries that crisp up in the oven or air fryer in under twenty minutes.'],
  ['Sweet potato fries', '750 g', 449, 'Lightly coated sweet potato fries that come out crisp outside and soft inside.'],
  ['Chicken nuggets', '500 g', 699, 'Whole-muscle chicken breast in a crunchy breadcrumb coating; no mystery meat.'],
  ['Pork & chive dumplings', '500 g', 799, 'Hand-folded potstickers. Pan-fry from frozen, then steam with a splash of water.'],
  ['Fish fingers', 'pack of 10', 549, 'Sustainably caught Alaska pollock in golden breadcrumbs. Comfort food in fifteen minutes.'],
  ['Veggie burgers', 'pack of 4', 649, 'Black bean and quinoa patties with smoky chipotle; they hold together on the grill.'],
  ['Buttermilk waffles', 'pack of 8', 349, 'Golden waffles that go straight from the freezer into the toaster.'],
  ['Shelled edamame', '500 g', 399, 'Young soybeans, blanched and shelled. Toss them into salads or eat them with chilli salt.'],
  ['Party ice cubes', '2 kg bag', 199, 'Crystal-clear ice made from filtered water, for parties and coolers.'],
];

const tables: CategoryTable[] = [
  { slug: 'fruit', name: 'Fruit', stock: [20, 300], rows: fruit },
  { slug: 'vegetables', name: 'Vegetables', stock: [20, 300], rows: vegetables },
  { slug: 'dairy', name: 'Eggs & Dairy', stock: [12, 180], rows: dairy },
  { slug: 'bakery', name: 'Bakery', stock: [6, 48], rows: bakery },
  { slug: 'meat', name: 'Meat', stock: [8, 80], rows: meat },
  { slug: 'fish', name: 'Fish & Seafood', stock: [4, 40], rows: fish },
  { slug: 'drinks', name: 'Drinks', stock: [24, 300], rows: drinks },
  { slug: 'pantry', name: 'Pantry', stock: [30, 300], rows: pantry },
  { slug: 'snacks', name: 'Snacks', stock: [24, 300], rows: snacks },
  { slug: 'frozen', name: 'Frozen', stock: [12, 150], rows: frozen },
];

/** A stable number in [min, max] for a product: the same on every run, spread like real stock. */
function stableStock(key: string, [min, max]: [number, number]) {
  const n = createHash('sha1').update(`stock:${key}`).digest().readUInt32BE(0);
  return min + (n % (max - min + 1));
}

function weighed(name: string, pricePerKgCents: number, extra: Extra) {
  const terms = { ...usualWeight, ...extra.weight };
  const typicalGrams = typical.find(([pattern]) => pattern.test(name))?.[1];
  return { by: 'weight' as const, pricePerKgCents, stepGrams: terms.stepGrams, minGrams: terms.minGrams, ...(typicalGrams ? { typicalGrams } : {}) };
}

export const seedCategories: SeedCategory[] = tables.map(({ slug, name }) => ({ slug, name }));

export const seedProducts: SeedProduct[] = tables.flatMap(({ slug, stock, rows }) =>
  rows.map(([name, unit, priceCents, description, extra = {}]) => ({
    name,
    description,
    category: slug,
    // Key by key in the order newProduct gives them (test/seed.test.ts compares the text).
    ...(unit === 'kg' ? weighed(name, priceCents, extra) : { by: 'piece' as const, priceCents }),
    currency: 'USD',
    stock: extra.stock ?? stableStock(`${slug}:${name}`, stock) * (unit === 'kg' ? 100 : 1),
    unit,
    available: extra.available ?? true,
    // Food at the reduced rate; soft drinks and snacks at the standard one, as in the UK.
    taxClass: slug === 'drinks' || slug === 'snacks' ? 'standard' : 'reduced',
    ...seedFood(slug, name),
  })),
);
