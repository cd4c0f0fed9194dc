// A small corpus written for this project, so the demo works with nothing else on disk.
import type { DocumentInput } from '../index.ts';

const PASSAGES: readonly [title: string, text: string][] = [
  [
    'Sourdough starter',
    'A sourdough starter is a culture of wild yeast and lactic acid bacteria kept alive with regular feedings of flour and water. Feed it at the same time each day and it will double in size within a few hours.',
  ],
  [
    'Proofing bread dough',
    'Dough is ready to bake when a gentle poke leaves a dent that springs back slowly. Over-proofed dough collapses in the oven because the gluten network can no longer hold the gas.',
  ],
  [
    'Cast iron care',
    'Dry a cast iron pan on the stove right after washing, then wipe a thin film of oil over the surface. Seasoning is polymerized fat, and it builds up with every use.',
  ],
  [
    'Tomato plants',
    'Tomato plants want at least six hours of direct sun and deep, infrequent watering. Pinch the suckers that grow between the main stem and the branches to get larger fruit.',
  ],
  [
    'Composting basics',
    'A healthy compost pile mixes green material such as vegetable scraps with brown material such as dry leaves. Turning the pile every week brings in oxygen and speeds up decomposition.',
  ],
  [
    'Bicycle chain maintenance',
    'Clean the bicycle chain with a degreaser, let it dry, and apply one drop of lubricant to each roller. Wipe off the excess, since oil on the outside of the chain only collects grit.',
  ],
  ['Tire pressure', 'Check tire pressure once a month when the tires are cold. Under-inflated tires wear out faster at the edges and raise fuel consumption.'],
  [
    'Night sky',
    'The planets move against the background stars and do not twinkle the way stars do. Venus is often the brightest object in the evening sky after the Moon.',
  ],
  [
    'Lunar phases',
    'The Moon shows phases because we see different portions of its sunlit half as it orbits the Earth. A full cycle from new moon to new moon takes about twenty-nine and a half days.',
  ],
  [
    'Photosynthesis',
    'Plants capture light energy in their chloroplasts and use it to turn carbon dioxide and water into sugar, releasing oxygen as a by-product.',
  ],
  [
    'Ocean tides',
    'Tides rise and fall twice a day because the gravity of the Moon and the Sun pulls on the oceans. Spring tides, with the largest range, happen near new and full moon.',
  ],
  [
    'Learning a language',
    'Short daily practice beats long weekly sessions when learning a new language. Spaced repetition flashcards help vocabulary move into long-term memory.',
  ],
  [
    'Touch typing',
    'Touch typing means keeping your fingers on the home row and typing without looking at the keyboard. Accuracy comes first; speed follows with practice.',
  ],
  [
    'Password managers',
    'A password manager generates a long random password for every site and fills it in for you, so a leak at one service does not expose your other accounts.',
  ],
  [
    'Backups',
    'Keep three copies of important files on two different kinds of storage, with one copy off site. Test a restore now and then, because an untested backup may not work.',
  ],
  [
    'Browser storage',
    'Web pages can keep data in the browser with IndexedDB, which stores structured objects and binary data and survives a reload. Browsers may evict it under storage pressure unless the page asks for persistence.',
  ],
  [
    'Web Workers',
    'A Web Worker runs JavaScript on a background thread, so heavy computation does not freeze the page. The page and the worker talk by posting messages.',
  ],
  [
    'Vector search',
    'Semantic search turns each passage into a vector and ranks passages by cosine similarity to the vector of the query, so results can match meaning rather than exact words.',
  ],
  [
    'Coffee brewing',
    'For pour-over coffee, use water just off the boil and a medium-fine grind. Bloom the grounds with a little water for thirty seconds before pouring the rest in slow circles.',
  ],
  [
    'Tea steeping',
    'Green tea turns bitter in boiling water; steep it at around eighty degrees for two minutes. Black tea tolerates hotter water and longer steeping.',
  ],
  [
    'Running form',
    'Land with your foot under your hips rather than far in front of you, and keep a quick, light cadence. Overstriding brakes every step and strains the knees.',
  ],
  [
    'Sleep habits',
    'Going to bed and waking up at the same time every day, even on weekends, keeps the body clock steady. Bright screens late at night delay the release of melatonin.',
  ],
  [
    'Houseplant watering',
    'Most houseplants die from too much water rather than too little. Water when the top few centimetres of soil are dry, and make sure the pot drains.',
  ],
  [
    'Knitting gauge',
    'Knit a swatch before starting a sweater and count the stitches over ten centimetres. If your gauge is off, change needle size rather than knitting tighter or looser.',
  ],
];

export const SAMPLE_DOCUMENTS: readonly DocumentInput[] = PASSAGES.map(([title, text], i) => ({
  id: `sample-${String(i + 1).padStart(2, '0')}`,
  title,
  text,
  url: `#sample-${i + 1}`,
}));
