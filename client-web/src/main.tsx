import { render } from 'preact';
import { App } from './app';
import { applyToDocument } from './i18n/i18n';
import './styles.css';

applyToDocument();
render(<App />, document.getElementById('app')!);
