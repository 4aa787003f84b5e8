// Common given and family names in the UK, grouped loosely by heritage so that a person's name fits their recorded
// ethnicity (the NHS workforce is diverse; see docs/data-generator.md). Invented combinations, not real people.

export interface NamePool {
  female: readonly string[];
  male: readonly string[];
  family: readonly string[];
}

const w = (text: string) => text.split(' ');

export const pools = {
  british: {
    female: w(
      'Olivia Emma Sarah Laura Rebecca Charlotte Hannah Jessica Lucy Emily Claire Helen Karen Joanne Nicola Rachel Gemma Amy Sophie Katie Louise Victoria Jennifer Susan Amanda Lisa Kelly Zoe Megan Chloe Alison Julie Natalie Eleanor Grace',
    ),
    male: w(
      'James David John Michael Paul Mark Daniel Thomas Matthew Andrew Richard Christopher Robert Steven Peter Simon Jonathan Adam Ben Luke Ryan Craig Gareth Stuart Oliver Jack Harry Samuel William George Ian Neil Alan Graham Rhys',
    ),
    family: w(
      'Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Jackson Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Cook Carter Richardson Bailey Collins Bell Shaw Miller Cox Richards Marshall Owen Hunt Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Fisher Stevens Jenkins Murray Dixon Pearce',
    ),
  },
  irish: {
    female: w('Siobhán Aoife Niamh Ciara Sinéad Orla Róisín Mairead Caoimhe Clodagh Deirdre Grainne'),
    male: w('Seán Ciarán Declan Conor Pádraig Eoin Niall Cormac Liam Darragh Fergal Oisín'),
    family: [
      'Murphy',
      'Kelly',
      "O'Brien",
      'Byrne',
      'Ryan',
      "O'Sullivan",
      'Walsh',
      "O'Connor",
      'McCarthy',
      'Doyle',
      'Gallagher',
      "O'Neill",
      'Quinn',
      'Brennan',
      'Fitzgerald',
      'Kavanagh',
    ],
  },
  european: {
    female: w(
      'Anna Agnieszka Katarzyna Maria Ana Ioana Elena Sofia Giulia Marta Joanna Magdalena Andreea Ines Lucia Eva Petra Daria',
    ),
    male: w(
      'Piotr Tomasz Marek Andrei Mihai João Pedro Luca Marco Javier Pablo Stefan Nikos Krzysztof Łukasz Matteo Jan',
    ),
    family: w(
      'Nowak Kowalczyk Wójcik Kamińska Popescu Ionescu Silva Santos Ferreira Rossi Russo Bianchi García Fernández López Martínez Papadopoulos Novák Horváth Müller Schmidt Jansen Costa Oliveira Dumitru',
    ),
  },
  indian: {
    female: w(
      'Priya Anjali Deepa Sunita Kavita Neha Pooja Ritu Divya Meera Lakshmi Anita Shreya Asha Geeta Nisha Swati Rekha',
    ),
    male: w(
      'Rahul Amit Sanjay Vikram Arjun Rajesh Anil Suresh Ravi Kiran Manoj Deepak Vijay Sunil Ashok Nikhil Harpreet Gurpreet',
    ),
    family: w(
      'Patel Sharma Singh Kumar Gupta Shah Mehta Nair Reddy Iyer Joshi Desai Menon Chopra Kaur Pillai Verma Rao Bhatt Chauhan Gill Sandhu Mistry Parmar',
    ),
  },
  pakistani: {
    female: w('Ayesha Fatima Saima Nadia Sana Amina Rabia Hina Zainab Mariam Aaliyah Sadia'),
    male: w('Imran Ali Usman Bilal Hassan Omar Faisal Asif Tariq Zubair Adeel Kamran'),
    family: w('Khan Hussain Ahmed Ali Iqbal Akhtar Shah Malik Butt Mahmood Chaudhry Qureshi Raza Aslam Javed Sheikh'),
  },
  bangladeshi: {
    female: w('Nasrin Ruksana Shirin Tahmina Farzana Salma Jannat Sumaiya Nazia'),
    male: w('Abdul Mohammed Rahim Shahid Kamal Jamal Anwar Rafiq Sohel'),
    family: w('Miah Uddin Rahman Islam Hoque Chowdhury Ahmed Ali Hossain Sarkar Karim'),
  },
  otherAsian: {
    female: w('Maria Joy Grace Rowena Marites Jennylyn Cristina Nisha Tharushi Sita Anjana Dilini Rosario'),
    male: w('Jose Mark Rodel Jerome Ramon Arvin Kasun Nimal Bikash Prakash Ruwan Jomar'),
    family: [
      'Santos',
      'Reyes',
      'Cruz',
      'Bautista',
      'Dela Cruz',
      'Mendoza',
      'Ramos',
      'Villanueva',
      'Perera',
      'Fernando',
      'De Silva',
      'Gurung',
      'Thapa',
      'Rai',
      'Aquino',
      'Jayasinghe',
    ],
  },
  african: {
    female: w(
      'Chioma Ngozi Adaeze Funmilayo Abena Akosua Grace Blessing Esther Tendai Nyasha Wanjiru Precious Favour Folake Yetunde Ama Ruth',
    ),
    male: w(
      'Chinedu Emeka Oluwaseun Tunde Kwame Kofi Yaw Tafadzwa Tatenda Samuel Emmanuel Kelechi Femi Babatunde Joseph Daniel Godfrey',
    ),
    family: w(
      'Okafor Adeyemi Okonkwo Adebayo Eze Mensah Asante Boateng Owusu Moyo Ncube Mutasa Ochieng Kamau Ogunleye Balogun Nwosu Obi Osei Banda Phiri Oduya',
    ),
  },
  caribbean: {
    female: w('Shanice Tanisha Marcia Beverley Jasmine Keisha Natalie Andrea Simone Paulette Donna Chantelle'),
    male: w('Marcus Tyrone Delroy Winston Leroy Jermaine Andre Dwayne Trevor Clive Errol Devon'),
    family: w(
      'Campbell Brown Williams Clarke Francis Grant Thomas Morgan Henry Robinson Lewis Reid Bailey Stewart Richards Gordon',
    ),
  },
  chinese: {
    female: w('Li Mei Xin Ying Hui Jing Wen Grace Amy Xiaoling Yan'),
    male: w('Wei Jun Hao Ming Jian Kevin Michael Chen Tao Yong'),
    family: w('Wang Li Zhang Chen Liu Wong Lam Chan Cheung Ho Ng Yang Huang Lau Tang'),
  },
  middleEastern: {
    female: w('Leila Yasmin Noor Sara Elif Zeynep Shirin Maryam Hanan Dalia Rana'),
    male: w('Ahmad Karim Mehmet Emre Reza Amir Youssef Omar Khalid Hamid Murat'),
    family: w('Hassan Ibrahim Mansour Yilmaz Kaya Demir Hosseini Karimi Haddad Nasser Saleh Aziz Darwish'),
  },
} as const satisfies Record<string, NamePool>;

export type PoolName = keyof typeof pools;

/** An ASCII, lower-case form of a name for e-mail addresses: accents dropped, apostrophes and spaces removed. */
export function emailPart(name: string): string {
  let part = emailParts.get(name);
  if (part === undefined) {
    part = toEmailPart(name);
    emailParts.set(name, part);
  }
  return part;
}

// Names come from the short lists above, so a cache keeps normalisation off the per-person path.
const emailParts = new Map<string, string>();

function toEmailPart(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .toLowerCase()
    .replace(/[^a-z-]/g, '');
}
