// Starting points for the similarity matrix, written for this project.
export interface MatrixPreset {
  name: string;
  /** One list (E·Eᵀ), or queries × passages (A·Bᵀ). */
  a: readonly string[];
  b?: readonly string[];
}

export const MATRIX_PRESETS: readonly MatrixPreset[] = [
  {
    name: 'Three topics, shuffled',
    a: [
      'The bread rose overnight in a warm kitchen.',
      'My laptop battery drains within two hours.',
      'Knead the dough until it feels smooth and elastic.',
      'The striker scored twice in the second half.',
      'Replace the battery if the phone shuts down at 30 percent.',
      'A long, slow proof gives sourdough its open crumb.',
      'The referee showed a red card after the tackle.',
      'Charging overnight does not damage a modern lithium cell.',
      'Bake the loaf until it sounds hollow when tapped.',
      'The home team held on to win one nil.',
      'Screen brightness is the biggest drain on battery life.',
      'The goalkeeper saved a penalty in stoppage time.',
    ],
  },
  {
    name: 'Paraphrases and near-misses',
    a: [
      'How do I reset my password?',
      'I forgot my password, how can I change it?',
      'What is the procedure for recovering a lost password?',
      'How do I change my username?',
      'The museum opens at nine in the morning.',
      'Doors open at 9 am at the museum.',
      'The museum closes at nine in the evening.',
      'A cat is sleeping on the windowsill.',
      'A kitten naps by the window.',
      'A dog is barking at the mail carrier.',
    ],
  },
  {
    name: 'Questions × answers',
    a: ['How long should bread dough rise?', 'Why does my phone battery die so fast?', 'Who won the match?', 'When does the museum open?'],
    b: [
      'Let the dough rise until it has doubled, usually one to two hours at room temperature.',
      'Bright screens and apps running in the background drain a battery quickly.',
      'The home side won one nil thanks to a late header.',
      'Opening hours are nine to five, Tuesday to Sunday.',
      'Store flour in a cool, dry place.',
      'The stadium holds forty thousand people.',
    ],
  },
];
